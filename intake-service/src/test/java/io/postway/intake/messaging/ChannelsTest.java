package io.postway.intake.messaging;

import io.postway.contract.Topics;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The intake's channel is the contract's topic, by name and in configuration, and every size limit is the contract's. */
class ChannelsTest {

    /** Kafka client settings that bound a record's size. */
    static final List<String> SIZE_KEYS = List.of(".max.request.size", ".max.partition.fetch.bytes", ".fetch.max.bytes", ".max.message.bytes");

    @Test
    void theChannelIsTheContractsTopicAndTheConfigurationMapsItSo() throws Exception {
        assertEquals(Topics.channel(Topics.DELIVERY_EVENTS), DeliveryEventProjector.CHANNEL);
        Properties config = configuration();
        assertEquals(Topics.DELIVERY_EVENTS, config.getProperty("mp.messaging.incoming." + DeliveryEventProjector.CHANNEL + ".topic"));
        for (String key : config.stringPropertyNames()) {
            if (key.startsWith("mp.messaging.") && key.endsWith(".topic")) {
                String topic = config.getProperty(key);
                assertEquals(Topics.channel(topic), key.split("\\.")[3], key + ": the channel is named after its topic");
                assertTrue(Set.of(Topics.SUBMITTED, Topics.OUTBOUND, Topics.DEFERRED, Topics.DELIVERY_EVENTS, Topics.POLICY_CHANGES)
                        .contains(topic), key + ": a contract topic, not " + topic);
            }
        }
    }

    @Test
    void everyRecordSizeLimitIsTheContracts() throws Exception {
        Properties config = configuration();
        List<String> sizes = config.stringPropertyNames().stream()
                .filter(k -> SIZE_KEYS.stream().anyMatch(k::endsWith)).toList();
        assertFalse(sizes.isEmpty(), "the projector's fetch size is configured");
        for (String key : sizes) {
            assertEquals(Topics.MAX_RECORD_BYTES, Integer.parseInt(config.getProperty(key).trim()), key);
        }
    }

    private Properties configuration() throws Exception {
        Properties config = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            config.load(in);
        }
        return config;
    }
}
