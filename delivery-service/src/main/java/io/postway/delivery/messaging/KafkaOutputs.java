package io.postway.delivery.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.postway.contract.Topics;
import io.postway.delivery.DeliveryService;
import io.postway.delivery.config.DeliveryConfig;
import io.postway.runtime.kafka.AcknowledgedProducer;
import io.postway.runtime.kafka.ProducerSettings;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Delivery's job outputs, events on mail.delivery-events, records on mail.deferred and done-markers
 * on mail.outbound-handled, through one plain {@link KafkaProducer} (the relay's settings for
 * outputs, {@link ProducerSettings#outputs}, with delivery's sizes). A send completes when the broker
 * acknowledged the record, or fails when the producer gave it up ({@link AcknowledgedProducer}), so
 * the job's offset stays uncommitted until all its outputs are acknowledged (OutboundJobConsumer).
 *
 * <p>Why not SmallRye emitters (issue 11, BENCHMARKS.md "Delivery CPU per job, session 6", "plain
 * producer"): each record became a Message with metadata, a context capture, an emitter hand-off
 * and an ack chain, and each of the three channels ran its own producer; one producer also puts a
 * job's event and marker into the same produce requests. A refused send fails only that job.
 *
 * <p>Traces: the job's trace context (the mail.outbound record's) is given to each send and goes
 * into the record's headers.
 */
@Singleton
public class KafkaOutputs {

    private final DeliveryConfig config;
    /**
     * Where the sends complete: the producer runs its callbacks on its I/O thread, and what a completion
     * starts (a job's done-marker after its events, the next job) may send again; a send on that
     * thread that needs a topic's metadata (or buffer room) would wait on the thread that fetches it,
     * for max.block.ms. One thread keeps the completions in the broker's order.
     */
    private final ExecutorService completions = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "delivery-kafka-acks");
        t.setDaemon(true);
        return t;
    });
    private final AcknowledgedProducer<String> producer;

    /** @param kafka every {@code kafka.*} setting (bootstrap, security protocol, SASL, TLS) */
    @Inject
    KafkaOutputs(DeliveryConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafka, OpenTelemetry openTelemetry,
                 MeterRegistry meters) {
        this.config = config;
        // its metrics are kafka_producer_*{client_id="delivery-..."}, as the Kafka binder exported the emitters'
        producer = new AcknowledgedProducer<>(new KafkaProducer<>(settings(kafka, "delivery-" + DeliveryService.instanceName(config)),
                new StringSerializer(), new StringSerializer()), meters, openTelemetry, completions);
    }

    @PreDestroy
    void close() {
        producer.close();
        completions.shutdown();
    }

    /**
     * The producer's settings on top of {@code base} (the {@code kafka.*} ones): the relay's for
     * outputs (a record given up after delivery.timeout.ms fails its job, which is redelivered) with
     * delivery's sizes: a deferred record carries the message, up to the contract's record size.
     */
    static Map<String, Object> settings(Map<String, Object> base, String clientId) {
        return ProducerSettings.outputs(base, clientId, Map.of(
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_RECORD_BYTES,
                ProducerConfig.BATCH_SIZE_CONFIG, 65_536));
    }

    /** The producer's open connections to the broker (its {@code connection-count} metric); NaN while it has none such metric. */
    double brokerConnections() {
        for (var metric : producer.metrics().entrySet()) {
            if (metric.getKey().name().equals("connection-count") && metric.getKey().group().equals("producer-metrics")
                    && metric.getValue().metricValue() instanceof Double count) {
                return count;
            }
        }
        return Double.NaN;
    }

    /** An event, keyed by messageId, with the given headers (the CloudEvents content type). */
    CompletableFuture<Void> event(String key, String value, Headers headers, Context trace) {
        return producer.send(new ProducerRecord<>(config.topics().deliveryEvents(), null, key, value, headers), trace);
    }

    /** A mail.deferred record, keyed by messageId. */
    CompletableFuture<Void> deferral(String key, String value, Context trace) {
        return producer.send(new ProducerRecord<>(config.topics().deferred(), key, value), trace);
    }

    /** A done-marker, keyed by jobId, on the job's partition number. */
    CompletableFuture<Void> marker(String key, String value, int partition, Context trace) {
        return producer.send(new ProducerRecord<>(config.handledJobs().topic(), partition, key, value), trace);
    }
}
