package io.postway.runtime.kafka;

import org.apache.kafka.clients.producer.ProducerConfig;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The settings of the relay's plain Kafka producers, on top of Quarkus's {@code kafka.*} ones (the
 * {@code default-kafka-broker} map: bootstrap, security protocol, SASL, TLS), so that what every
 * producer shares is decided here and a service adds only what it measured for itself.
 */
public final class ProducerSettings {

    /** The keys a service sets for its own producer of outputs: measured per service (BENCHMARKS.md). */
    static final Set<String> SIZE_KEYS = Set.of(ProducerConfig.BATCH_SIZE_CONFIG, ProducerConfig.BUFFER_MEMORY_CONFIG,
            ProducerConfig.MAX_REQUEST_SIZE_CONFIG);

    private ProducerSettings() {
    }

    /**
     * Every relay producer: named (its metrics' client_id), and a send counts only once all in-sync
     * replicas have the record (acks=all), written once however often it is retried (idempotent).
     * A mutable copy, for the caller's own settings.
     */
    public static Map<String, Object> acknowledged(Map<String, Object> kafka, String clientId) {
        Map<String, Object> p = new HashMap<>(kafka);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return p;
    }

    /**
     * A producer of a consumed record's outputs (the router's jobs and events, delivery's events,
     * deferrals and done-markers): the caller holds its input's commit until they are acknowledged.
     * The producer gives a record up after delivery.timeout.ms (the input is then retried), waits at
     * most max.block.ms for metadata or buffer room, and lingers a few ms so that a poll's worth of
     * outputs goes out in a handful of produce requests. {@code sizes} (batch, buffer, request size:
     * only those) are the service's own and win.
     */
    public static Map<String, Object> outputs(Map<String, Object> kafka, String clientId, Map<String, Object> sizes) {
        if (!SIZE_KEYS.containsAll(sizes.keySet())) {
            throw new IllegalArgumentException("a service sets only " + SIZE_KEYS + " for its outputs, not " + sizes.keySet());
        }
        Map<String, Object> p = acknowledged(kafka, clientId);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.putAll(sizes);
        return p;
    }
}
