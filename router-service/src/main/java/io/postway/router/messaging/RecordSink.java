package io.postway.router.messaging;

import java.util.concurrent.CompletableFuture;

/** Where the router writes Kafka records; completes once the broker acknowledged the record (acks=all). */
@FunctionalInterface
public interface RecordSink {
    CompletableFuture<Void> send(String topic, String key, String value);
}
