package io.postway.delivery.messaging;

import io.postway.contract.Topics;
import io.postway.delivery.config.DeliveryConfig;
import io.smallrye.config.WithDefault;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Delivery's channels and output topics are the contract's topics, by name and in configuration. */
class ChannelsTest {

    @Test
    void channelsAreTheContractsTopicsAndTheConfigurationMapsThemSo() throws Exception {
        assertEquals(Topics.channel(Topics.OUTBOUND), Channels.OUTBOUND);
        Properties config = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            config.load(in);
        }
        assertEquals(Topics.OUTBOUND, config.getProperty("mp.messaging.incoming." + Channels.OUTBOUND + ".topic"));
        assertEquals(Topics.MAX_RECORD_BYTES, Integer.parseInt(config.getProperty("mp.messaging.incoming." + Channels.OUTBOUND + ".max.partition.fetch.bytes")));
        // the job outputs' plain producer: the contract's topics by default, a record up to the contract's size
        Map<String, Object> producer = KafkaOutputs.settings(Map.of(), "delivery-test");
        assertEquals(Topics.MAX_RECORD_BYTES, producer.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        assertEquals("all", producer.get(ProducerConfig.ACKS_CONFIG));
        assertEquals(true, producer.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
        assertEquals(Topics.DELIVERY_EVENTS, defaultOf(DeliveryConfig.OutputTopics.class, "deliveryEvents"));
        assertEquals(Topics.DEFERRED, defaultOf(DeliveryConfig.OutputTopics.class, "deferred"));
        assertEquals(Topics.OUTBOUND_HANDLED, defaultOf(DeliveryConfig.HandledJobs.class, "topic"));
        // every size key there is: a record size is the contract's, a fetch holds at least one record
        for (String key : config.stringPropertyNames()) {
            if (key.endsWith(".max.request.size") || key.endsWith(".max.partition.fetch.bytes") || key.endsWith(".max.message.bytes")) {
                assertEquals(Topics.MAX_RECORD_BYTES, Integer.parseInt(config.getProperty(key)), key);
            } else if (key.endsWith(".fetch.max.bytes") || key.endsWith(".buffer.memory")) {
                assertTrue(Integer.parseInt(config.getProperty(key)) >= Topics.MAX_RECORD_BYTES, key);
            } else {
                assertFalse(key.endsWith(".bytes") || key.endsWith(".size"), key + ": a size key this test does not know");
            }
        }
    }

    private static String defaultOf(Class<?> group, String method) throws NoSuchMethodException {
        return group.getMethod(method).getAnnotation(WithDefault.class).value();
    }
}
