package io.postway.runtime.kafka;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ProducerSettingsTest {

    /** What Quarkus hands over as kafka.*, with settings the relay decides itself. */
    private static final Map<String, Object> KAFKA = Map.of(
            "bootstrap.servers", "127.0.0.1:9092", "security.protocol", "SASL_SSL",
            ProducerConfig.ACKS_CONFIG, "1", ProducerConfig.LINGER_MS_CONFIG, 50, ProducerConfig.BATCH_SIZE_CONFIG, 1);

    @Test
    void anOutputsProducerHasTheBrokersSettingsTheRelaysAndItsOwnSizes() {
        Map<String, Object> settings = ProducerSettings.outputs(KAFKA, "router-0",
                Map.of(ProducerConfig.BATCH_SIZE_CONFIG, 262_144, ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4_194_304));
        assertEquals(Map.ofEntries(
                Map.entry("bootstrap.servers", "127.0.0.1:9092"), Map.entry("security.protocol", "SASL_SSL"),
                Map.entry(ProducerConfig.CLIENT_ID_CONFIG, "router-0"),
                Map.entry(ProducerConfig.ACKS_CONFIG, "all"),
                Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                Map.entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000),
                Map.entry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000),
                Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000),
                Map.entry(ProducerConfig.LINGER_MS_CONFIG, 5),
                Map.entry(ProducerConfig.BATCH_SIZE_CONFIG, 262_144),
                Map.entry(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4_194_304)), settings);
    }

    @Test
    void aServiceSetsOnlySizesForItsOutputs() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> ProducerSettings.outputs(KAFKA, "delivery-0",
                Map.of(ProducerConfig.BATCH_SIZE_CONFIG, 65_536, ProducerConfig.LINGER_MS_CONFIG, 20)));
        assertEquals(true, refused.getMessage().contains(ProducerConfig.LINGER_MS_CONFIG), refused.getMessage());
    }

    @Test
    void anAcknowledgedProducerIsNamedAcksAllAndIdempotentAndLeavesTheRestToTheCaller() {
        Map<String, Object> settings = ProducerSettings.acknowledged(KAFKA, "intake-mail-submitted");
        assertEquals("intake-mail-submitted", settings.get(ProducerConfig.CLIENT_ID_CONFIG));
        assertEquals("all", settings.get(ProducerConfig.ACKS_CONFIG));
        assertEquals(true, settings.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
        assertEquals(50, settings.get(ProducerConfig.LINGER_MS_CONFIG), "no timing decided here");
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 5); // the caller's own: a copy, kafka.* stays as it was
        assertEquals(50, KAFKA.get(ProducerConfig.LINGER_MS_CONFIG));
    }
}
