package io.postway.router.messaging;

import io.postway.router.config.RouterConfig;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The one producer of a router: jobs and events, idempotent, acknowledged by all in-sync replicas.
 * It starts from Quarkus' {@code default-kafka-broker} properties (every {@code kafka.*} key:
 * bootstrap, security protocol, SASL, TLS), with its own settings on top.
 */
@Singleton
public class KafkaRecordSink implements RecordSink {

    private final KafkaProducer<String, String> producer;

    @Inject
    public KafkaRecordSink(@Identifier("default-kafka-broker") Map<String, Object> kafka, RouterConfig config) {
        Map<String, Object> cfg = new HashMap<>(kafka);
        cfg.put(ProducerConfig.CLIENT_ID_CONFIG, "router-" + config.instance());
        cfg.put(ProducerConfig.ACKS_CONFIG, "all");
        cfg.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        cfg.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, config.kafka().maxRecordBytes());
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

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
