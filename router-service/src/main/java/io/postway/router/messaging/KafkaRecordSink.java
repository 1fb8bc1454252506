package io.postway.router.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.postway.router.config.RouterConfig;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The router's writes, jobs on mail.outbound (byte[] values, wire format 2) and events on
 * mail.delivery-events (JSON), through one plain {@link KafkaProducer} (acks=all, idempotent, every
 * {@code kafka.*} setting). {@link #send} completes from the producer's callback when the broker
 * acknowledged the record, or fails when the producer gave it up, so the caller holds its input's
 * commit until then.
 *
 * <p>Why not SmallRye emitters (issue 11, BENCHMARKS.md "Router per-record cost, session 6"): each
 * record became a Message with metadata, an emitter hand-off and an ack chain, more CPU than the
 * routing itself. A refused send fails only that record (the producer keeps running), as before.
 *
 * <p>Traces: a plain producer, so the trace context current while routing (the mail.submitted
 * record's, made current by {@link RouterChannels}) goes into the headers here; the propagator
 * adds nothing while tracing is off.
 */
@Singleton
public class KafkaRecordSink implements RecordSink {

    private static final TextMapSetter<Headers> TRACE_HEADER =
            (headers, key, value) -> headers.remove(key).add(key, value.getBytes(StandardCharsets.UTF_8));

    @Inject
    RouterConfig config;
    /** Every {@code kafka.*} setting (bootstrap, security protocol, SASL, TLS). */
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;
    @Inject
    OpenTelemetry openTelemetry;
    @Inject
    MeterRegistry meters;

    private KafkaProducer<String, byte[]> producer;
    private KafkaClientMetrics producerMetrics;

    @PostConstruct
    void open() {
        producer = new KafkaProducer<>(settings(kafka, "router-" + config.instance(), config.kafka().maxRecordBytes()),
                new StringSerializer(), new ByteArraySerializer());
        // the producer's own metrics (kafka_producer_*{client_id="router-..."}), as the Kafka binder exported the emitters'
        producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(meters);
    }

    @PreDestroy
    void close() {
        producerMetrics.close();
        producer.close(Duration.ofSeconds(10));
    }

    /**
     * The producer's settings on top of {@code base} (the {@code kafka.*} ones). A send completes
     * when all in-sync replicas have the record (acks=all, idempotent); the producer gives a record
     * up after delivery.timeout.ms, the input it came from is then retried. Batching: the router
     * writes a poll's worth of jobs at once, so a large batch and a few ms of linger put them into a
     * handful of produce requests.
     */
    public static Map<String, Object> settings(Map<String, Object> base, String clientId, int maxRecordBytes) {
        Map<String, Object> p = new HashMap<>(base);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRecordBytes);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
        // a poll's worth of 100 KB jobs (500 x 100 KB) fits without blocking the routing thread
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 134_217_728L);
        return p;
    }

    @Override
    public CompletableFuture<Void> send(ProducerRecord<String, ?> record) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        try {
            ProducerRecord<String, byte[]> bytes = new ProducerRecord<>(record.topic(), record.partition(), record.timestamp(),
                    record.key(), valueBytes(record.value()), record.headers());
            openTelemetry.getPropagators().getTextMapPropagator().inject(Context.current(), bytes.headers(), TRACE_HEADER);
            producer.send(bytes, (metadata, failure) -> {
                if (failure == null) {
                    acked.complete(null);
                } else {
                    acked.completeExceptionally(failure);
                }
            });
        } catch (RuntimeException e) { // the buffer stayed full for max.block.ms, or the producer is closed
            acked.completeExceptionally(e);
        }
        return acked;
    }

    private static byte[] valueBytes(Object value) {
        if (value instanceof byte[] b) {
            return b;
        }
        if (value instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        throw new IllegalArgumentException("the router writes byte[] or JSON string values, not " + value);
    }
}
