package io.postway.delivery.messaging;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
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

    /** Completes when the broker acknowledged the record, fails when it refused it. */
    public static CompletableFuture<Void> send(Emitter<String> emitter, OutgoingKafkaRecordMetadata<String> metadata, String value) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        emitter.send(Message.of(value)
                .addMetadata(metadata)
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
