package io.postway.delivery.messaging;

import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletableFuture;

/**
 * Sends one record through an emitter and tells when Kafka acknowledged it: every output whose
 * acknowledgement decides an offset commit (events, deferrals, done-markers, probe results) goes
 * through here, so "acked" means the same everywhere.
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
        Message<String> message = Message.of(value);
        for (Object m : metadata) {
            message = message.addMetadata(m);
        }
        emitter.send(message
                .withAck(() -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(t -> {
                    acked.completeExceptionally(t);
                    return CompletableFuture.completedFuture(null);
                }));
        return acked;
    }
}
