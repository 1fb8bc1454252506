package io.postway.policy;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;


/** Shared by the integration tests: keys, names unique to this run, and a reader of the policy topic. */
public final class TestSupport {

    /** Makes every domain of this run unique: the database and topic outlive test runs. */
    public static final String RUN = Long.toString(System.currentTimeMillis(), 36);

    private TestSupport() {
    }

    public static String domain(String name) {
        return name + "-" + RUN + ".test";
    }

    public static RequestSpecification admin() {
        return RestAssured.given().header("Authorization", "Bearer local-admin-key").contentType(ContentType.JSON);
    }

    /** The policy topic of the test profile (the contract's name in production). */
    public static String topicName() {
        return ConfigProvider.getConfig().getValue("postway.policy.topic.name", String.class);
    }

    /** Reads {@code mail.policy-changes} from its current end on: only records written after creation. */
    public static final class TopicReader implements AutoCloseable {
        private final KafkaConsumer<String, String> consumer;
        private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

        /** @param kafka the service's {@code @Identifier("default-kafka-broker")} settings, as every client of it uses */
        public TopicReader(Map<String, Object> kafka) {
            Map<String, Object> p = new HashMap<>(kafka);
            p.put(ConsumerConfig.GROUP_ID_CONFIG, "policy-test-" + UUID.randomUUID());
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            consumer = new KafkaConsumer<>(p);
            List<TopicPartition> parts = consumer.partitionsFor(topicName(), Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position);
        }

        /** Waits until records with this key satisfy {@code done}; returns all records of the key. */
        public List<ConsumerRecord<String, String>> await(String key, Predicate<List<ConsumerRecord<String, String>>> done) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return done.test(ofKey(key));
            });
            return ofKey(key);
        }

        /** Polls for a while and returns what arrived for the key (for "nothing was published" checks). */
        public List<ConsumerRecord<String, String>> drain(String key, Duration during) {
            long end = System.nanoTime() + during.toNanos();
            while (System.nanoTime() < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            }
            return ofKey(key);
        }

        public List<ConsumerRecord<String, String>> ofKey(String key) {
            return seen.stream().filter(r -> key.equals(r.key())).toList();
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
