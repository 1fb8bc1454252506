package io.postway.router.it;

import io.postway.router.infra.PolicyCache;
import io.postway.router.messaging.PolicyChangeConsumer;
import io.postway.testkit.LocalInfra;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The policy feed against the real broker, with a client that fails once on demand: the reader
 * must start again by itself, say meanwhile that it is not following, and apply later changes.
 */
class PolicyFeedRecoveryTest {

    @Test
    void aReaderWhoseClientFailsStartsAgainAndAppliesALaterChange() throws Exception {
        String bootstrap = LocalInfra.get().kafkaBootstrap;
        String topic = "router-test." + UUID.randomUUID() + ".policy-changes";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
             KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                     ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
            try {
                producer.send(new ProducerRecord<>(topic, "default", TestPolicies.defaultRule(1, "OPPORTUNISTIC"))).get(30, TimeUnit.SECONDS);

                AtomicBoolean failNextPoll = new AtomicBoolean();
                AtomicInteger clients = new AtomicInteger();
                PolicyCache cache = new PolicyCache(topic, List::of, Duration.ofSeconds(2), Clock.systemUTC());
                PolicyChangeConsumer feed = new PolicyChangeConsumer(cache, Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                        1_048_576, topic, cfg -> {
                            clients.incrementAndGet();
                            return new KafkaConsumer<>(cfg, new StringDeserializer(), new StringDeserializer()) {
                                @Override
                                public ConsumerRecords<String, String> poll(Duration timeout) {
                                    if (failNextPoll.getAndSet(false)) {
                                        throw new IllegalStateException("injected client failure");
                                    }
                                    return super.poll(timeout);
                                }
                            };
                        });
                feed.start();
                try {
                    assertTrue(feed.awaitCaughtUp(Duration.ofSeconds(30)), "topic read to its end");
                    assertEquals(1, cache.resolve("fabrikam.com").orElseThrow().version());
                    assertTrue(feed.following());

                    failNextPoll.set(true);
                    await().atMost(Duration.ofSeconds(10)).until(() -> !feed.following());
                    assertTrue(feed.notFollowingReason().contains("injected client failure"), feed.notFollowingReason());

                    producer.send(new ProducerRecord<>(topic, "default", TestPolicies.defaultRule(2, "REQUIRED"))).get(30, TimeUnit.SECONDS);
                    await().atMost(Duration.ofSeconds(20)).until(() -> cache.resolve("fabrikam.com").orElseThrow().version() == 2);
                    assertTrue(feed.following(), "following again");
                    assertEquals(2, clients.get(), "a new client after the failure");
                    assertFalse(failNextPoll.get());
                } finally {
                    feed.stop();
                }
            } finally {
                admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            }
        }
    }
}
