package io.postway.router.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.postway.router.config.RouterConfig;
import io.postway.runtime.kafka.AcknowledgedProducer;
import io.postway.runtime.kafka.ProducerSettings;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The router's writes, jobs on mail.outbound (byte[] values, wire format 2) and events on
 * mail.delivery-events (JSON), through one plain {@link KafkaProducer} (the relay's settings for
 * outputs, {@link ProducerSettings#outputs}, with the router's sizes). {@link #send} completes when
 * the broker acknowledged the record, or fails when the producer gave it up
 * ({@link AcknowledgedProducer}), so the caller holds its input's commit until then.
 *
 * <p>Why not SmallRye emitters (issue 11, BENCHMARKS.md "Router per-record cost, session 6"): each
 * record became a Message with metadata, an emitter hand-off and an ack chain, more CPU than the
 * routing itself. A refused send fails only that record (the producer keeps running), as before.
 *
 * <p>Traces: a plain producer, so the trace context current while routing (the mail.submitted
 * record's, made current by {@link RouterChannels}) goes into the headers at the send.
 */
@Singleton
public class KafkaRecordSink implements RecordSink {

    private final AcknowledgedProducer<byte[]> producer;

    /** @param kafka every {@code kafka.*} setting (bootstrap, security protocol, SASL, TLS) */
    @Inject
    KafkaRecordSink(RouterConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafka, OpenTelemetry openTelemetry,
                    MeterRegistry meters) {
        // its metrics are kafka_producer_*{client_id="router-..."}, as the Kafka binder exported the emitters';
        // its sends complete on the producer's I/O thread (Runnable::run)
        producer = new AcknowledgedProducer<>(new KafkaProducer<>(settings(kafka, "router-" + config.instance(),
                config.kafka().maxRecordBytes()), new StringSerializer(), new ByteArraySerializer()), meters, openTelemetry, Runnable::run);
    }

    @PreDestroy
    void close() {
        producer.close();
    }

    /**
     * The producer's settings on top of {@code base} (the {@code kafka.*} ones): the relay's for
     * outputs with the router's sizes. Batching: the router writes a poll's worth of jobs at once,
     * so a large batch (and the relay's few ms of linger) put them into a handful of produce requests.
     */
    public static Map<String, Object> settings(Map<String, Object> base, String clientId, int maxRecordBytes) {
        return ProducerSettings.outputs(base, clientId, Map.of(
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRecordBytes,
                ProducerConfig.BATCH_SIZE_CONFIG, 262_144,
                // a poll's worth of 100 KB jobs (500 x 100 KB) fits without blocking the routing thread
                ProducerConfig.BUFFER_MEMORY_CONFIG, 134_217_728L));
    }

    @Override
    public CompletableFuture<Void> send(ProducerRecord<String, ?> record) {
        ProducerRecord<String, byte[]> bytes;
        try {
            bytes = new ProducerRecord<>(record.topic(), record.partition(), record.timestamp(),
                    record.key(), valueBytes(record.value()), record.headers());
        } catch (RuntimeException e) { // a value the router does not write: that record fails, as a refused send
            return CompletableFuture.failedFuture(e);
        }
        return producer.send(bytes, Context.current());
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
