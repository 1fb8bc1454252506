package io.postway.runtime.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A plain producer whose {@link #send} completes when the broker acknowledged the record, or fails
 * when the producer gave it up or refused it, so that the caller can hold its input's commit until
 * then (the router's and delivery's outputs). A refused send fails only that record; the producer
 * keeps running. Its metrics ({@code kafka_producer_*{client_id=...}}) are in the registry while it is open.
 *
 * <p>The service builds the producer ({@link ProducerSettings#outputs}) and owns it through this
 * object: the service's class is what names its plain Kafka clients (deploy/k8s-check).
 */
public final class AcknowledgedProducer<V> implements AutoCloseable {

    private final Producer<String, V> producer;
    private final KafkaClientMetrics metrics;
    private final OpenTelemetry telemetry;
    private final Executor completions;

    /**
     * @param completions where a send's stage completes: {@code Runnable::run} completes it on the
     *                    producer's I/O thread, which must then not send again from it
     */
    public AcknowledgedProducer(Producer<String, V> producer, MeterRegistry meters, OpenTelemetry telemetry, Executor completions) {
        this.producer = producer;
        this.telemetry = telemetry;
        this.completions = completions;
        this.metrics = new KafkaClientMetrics(producer);
        metrics.bindTo(meters);
    }

    /** Sends {@code record} with {@code trace} in its headers; completes once it is acknowledged. */
    public CompletableFuture<Void> send(ProducerRecord<String, V> record, Context trace) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        try {
            TraceHeaders.inject(telemetry, trace, record.headers());
            producer.send(record, (metadata, failure) -> completions.execute(() -> {
                if (failure == null) {
                    acked.complete(null);
                } else {
                    acked.completeExceptionally(failure);
                }
            }));
        } catch (RuntimeException e) { // the buffer stayed full for max.block.ms, or the producer is closed
            acked.completeExceptionally(e);
        }
        return acked;
    }

    /** The producer's own metrics, for a service's checks on it. */
    public Map<MetricName, ? extends Metric> metrics() {
        return producer.metrics();
    }

    /** Unbinds the metrics and closes the producer, giving its pending records up to 10 s to leave. */
    @Override
    public void close() {
        metrics.close();
        producer.close(Duration.ofSeconds(10));
    }
}
