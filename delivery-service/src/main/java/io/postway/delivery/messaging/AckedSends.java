package io.postway.delivery.messaging;

import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import java.util.concurrent.CompletableFuture;

/**
 * Sends one record through an emitter and tells when Kafka acknowledged it: the probe results
 * (their acknowledgement decides the probe request's commit). A job's outputs go through
 * {@link KafkaOutputs}, whose sends complete the same way (from the broker's acknowledgement).
 */
public final class AckedSends {

    private AckedSends() {
    }

    /**
     * Completes when the broker acknowledged the record, fails when it refused it; {@code metadata}:
     * the record's Kafka metadata (key, headers, partition) and, where a trace goes on, its tracing metadata.
     */
    public static CompletableFuture<Void> send(Emitter<String> emitter, String value, Object... metadata) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        // one message with all its metadata and both callbacks (each addMetadata/withAck would copy it)
        emitter.send(Message.of(value, Metadata.of(metadata),
                () -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                },
                t -> {
                    acked.completeExceptionally(t);
                    return CompletableFuture.completedFuture(null);
                }));
        return acked;
    }
}
