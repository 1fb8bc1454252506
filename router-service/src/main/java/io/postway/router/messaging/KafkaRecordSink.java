package io.postway.router.messaging;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The one producer of a router: jobs and events, idempotent, acknowledged by all in-sync replicas. */
public final class KafkaRecordSink implements RecordSink, AutoCloseable {

    private final KafkaProducer<String, String> producer;

    /** @param kafka Quarkus' {@code default-kafka-broker} properties (every {@code kafka.*} key: security, SASL, TLS) */
    public KafkaRecordSink(Map<String, Object> kafka, int maxRecordBytes, String clientId) {
        Map<String, Object> cfg = new HashMap<>(kafka);
        cfg.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        cfg.put(ProducerConfig.ACKS_CONFIG, "all");
        cfg.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        cfg.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRecordBytes);
        cfg.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        cfg.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        cfg.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        cfg.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        producer = new KafkaProducer<>(cfg, new StringSerializer(), new StringSerializer());
    }

    @Override
    public CompletableFuture<Void> send(ProducerRecord<String, String> record) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    done.completeExceptionally(error);
                } else {
                    done.complete(null);
                }
            });
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
