package io.postway.router.messaging;

import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.concurrent.CompletableFuture;

/**
 * Where the router writes Kafka records; completes once the broker acknowledged the record (acks=all).
 * Values are {@code byte[]} on mail.outbound (wire format 2) and JSON strings on mail.delivery-events.
 */
@FunctionalInterface
public interface RecordSink {
    CompletableFuture<Void> send(ProducerRecord<String, ?> record);
}
