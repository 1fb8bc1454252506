package io.postway.policy.messaging;

import io.postway.testkit.PostwayInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The TLS-RPT event reader rides out a store that fails (PostgreSQL down): the batch is not
 * committed and is read again until it is stored; once stored, it is committed, so a new reader
 * of the group starts after it.
 */
@QuarkusTest
@QuarkusTestResource(value = PostwayInfraResource.class, initArgs = @ResourceArg(name = "database", value = "postway_policy_test"))
class DeliveryEventReaderTest {

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    @Test
    void aBatchThatCouldNotBeStoredIsReadAgainAndCommittedOnlyOnceStored() throws Exception {
        String topic = "postway-test.policy-service.reader-" + UUID.randomUUID();
        String group = "policy-test-reader-" + UUID.randomUUID();
        try (Admin admin = Admin.create(kafka)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> p = new HashMap<>(kafka);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (String v : List.of("e1", "e2", "e3")) {
                producer.send(new ProducerRecord<>(topic, v, v)).get(30, TimeUnit.SECONDS);
            }
        }
        AtomicInteger failures = new AtomicInteger();
        List<String> stored = new CopyOnWriteArrayList<>();
        DeliveryEventReader reader = reader();
        reader.start(topic, group, values -> {
            if (failures.incrementAndGet() <= 2) {
                throw new IllegalStateException("database failure: connection refused (test)");
            }
            values.forEach(v -> stored.add(new String(v, StandardCharsets.UTF_8)));
        });
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> stored.containsAll(List.of("e1", "e2", "e3")));
            assertTrue(failures.get() >= 3, "the failed batch was read again: " + failures.get());
        } finally {
            reader.stop(null);
        }
        // committed: the group's next reader sees only what comes after
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(topic, "e4", "e4")).get(30, TimeUnit.SECONDS);
        }
        List<String> next = new CopyOnWriteArrayList<>();
        DeliveryEventReader again = reader();
        again.start(topic, group, values -> values.forEach(v -> next.add(new String(v, StandardCharsets.UTF_8))));
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> next.contains("e4"));
            assertEquals(List.of("e4"), next);
        } finally {
            again.stop(null);
        }
    }

    private DeliveryEventReader reader() {
        DeliveryEventReader r = new DeliveryEventReader();
        r.kafka = kafka;
        return r;
    }
}
