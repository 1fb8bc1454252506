package io.postway.router.config;

import io.postway.contract.Topics;
import io.postway.router.messaging.KafkaRecordSink;
import org.apache.kafka.clients.producer.ProducerConfig;
import io.postway.router.messaging.RouterChannels;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The router's configuration as shipped ({@code application.properties}, no profile, no overrides)
 * names the contract's topics and record limit: in its own keys and in the channels' keys.
 */
class RouterConfigTest {

    private static SmallRyeConfig shipped() throws Exception {
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors() // ${...} expressions with their fallbacks
                .withSources(new PropertiesConfigSource(RouterConfigTest.class.getResource("/application.properties"), 250))
                .withMapping(RouterConfig.class)
                .build();
    }

    @Test
    void theTopicsAreTheContractsInTheRoutersKeysAndInTheChannels() throws Exception {
        SmallRyeConfig config = shipped();
        RouterConfig.Topics topics = config.getConfigMapping(RouterConfig.class).topics();
        assertEquals(Topics.SUBMITTED, topics.submitted());
        assertEquals(Topics.OUTBOUND, topics.outbound());
        assertEquals(Topics.DEFERRED, topics.deferred());
        assertEquals(Topics.DELIVERY_EVENTS, topics.deliveryEvents());
        assertEquals(Topics.POLICY_CHANGES, topics.policyChanges());

        assertEquals(Topics.SUBMITTED, config.getValue("mp.messaging.incoming." + RouterChannels.SUBMITTED + ".topic", String.class));
        assertEquals(Topics.DEFERRED, config.getValue("mp.messaging.incoming." + RouterChannels.DEFERRED + ".topic", String.class));
        // the outputs are written by a plain producer (KafkaRecordSink) to topics().outbound()/deliveryEvents(), asserted above
    }

    @Test
    void everyRecordSizeIsTheContractsMaximum() throws Exception {
        SmallRyeConfig config = shipped();
        assertEquals(Topics.MAX_RECORD_BYTES, config.getConfigMapping(RouterConfig.class).kafka().maxRecordBytes(),
                "the default of postway.router.kafka.max-record-bytes (the policy consumer's fetch size)");
        // a record's limit per client kind; fetch.max.bytes is a whole fetch's (Kafka's default), not a record's
        List<String> sizeKeys = StreamSupport.stream(config.getPropertyNames().spliterator(), false)
                .filter(k -> k.startsWith("mp.messaging."))
                .filter(k -> k.endsWith(".max.partition.fetch.bytes") || k.endsWith(".max.request.size"))
                .sorted().toList();
        assertEquals(List.of(
                "mp.messaging.incoming." + RouterChannels.DEFERRED + ".max.partition.fetch.bytes",
                "mp.messaging.incoming." + RouterChannels.SUBMITTED + ".max.partition.fetch.bytes"), sizeKeys);
        for (String key : sizeKeys) {
            assertEquals(Topics.MAX_RECORD_BYTES, config.getValue(key, Integer.class), key);
        }
        // the plain producer of jobs and events (no SmallRye channel) takes its limit from postway.router.kafka.max-record-bytes
        assertEquals(Topics.MAX_RECORD_BYTES, KafkaRecordSink.settings(Map.of(), "router-test",
                config.getConfigMapping(RouterConfig.class).kafka().maxRecordBytes()).get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        assertTrue(config.getValue("mp.messaging.incoming." + RouterChannels.SUBMITTED + ".fetch.max.bytes", Integer.class)
                >= Topics.MAX_RECORD_BYTES, "a fetch holds at least one record of the maximum size");
    }
}
