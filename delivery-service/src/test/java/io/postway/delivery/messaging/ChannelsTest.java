package io.postway.delivery.messaging;

import io.postway.contract.Topics;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Delivery's channels are the contract's topics, by name and in configuration. */
class ChannelsTest {

    @Test
    void channelsAreTheContractsTopicsAndTheConfigurationMapsThemSo() throws Exception {
        assertEquals(Topics.channel(Topics.OUTBOUND), Channels.OUTBOUND);
        assertEquals(Topics.channel(Topics.DEFERRED), Channels.DEFERRED);
        assertEquals(Topics.channel(Topics.DELIVERY_EVENTS), Channels.DELIVERY_EVENTS);
        assertEquals(Topics.channel(Topics.OUTBOUND_HANDLED), Channels.OUTBOUND_HANDLED);
        Properties config = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            config.load(in);
        }
        assertEquals(Topics.OUTBOUND, config.getProperty("mp.messaging.incoming." + Channels.OUTBOUND + ".topic"));
        assertEquals(Topics.DEFERRED, config.getProperty("mp.messaging.outgoing." + Channels.DEFERRED + ".topic"));
        assertEquals(Topics.DELIVERY_EVENTS, config.getProperty("mp.messaging.outgoing." + Channels.DELIVERY_EVENTS + ".topic"));
        assertEquals("${postway.delivery.handled-jobs.topic:" + Topics.OUTBOUND_HANDLED + "}",
                config.getProperty("mp.messaging.outgoing." + Channels.OUTBOUND_HANDLED + ".topic"));
        for (String size : new String[]{"mp.messaging.outgoing." + Channels.DEFERRED + ".max.request.size",
                "mp.messaging.outgoing." + Channels.DELIVERY_EVENTS + ".max.request.size",
                "mp.messaging.incoming." + Channels.OUTBOUND + ".max.partition.fetch.bytes"}) {
            assertEquals(Topics.MAX_RECORD_BYTES, Integer.parseInt(config.getProperty(size)), size);
        }
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
}
