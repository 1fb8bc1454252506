package io.postway.policy.probe;

import io.postway.contract.Topics;
import io.postway.contract.review.OverrideFixedEvent;
import io.postway.policy.messaging.PolicyReviewPublisher;
import io.postway.testkit.ContractSchemas;
import io.postway.testkit.PostwayInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.postway.policy.TestSupport.admin;
import static io.postway.policy.TestSupport.domain;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Insecure overrides are temporary, the event: a re-probe that finds the remote fixed puts exactly
 * one schema-valid CloudEvent on the review topic (the real broker, through the outbox), a later
 * probe with the same answer none, and the removal the event names really removes the override.
 */
@QuarkusTest
@QuarkusTestResource(value = PostwayInfraResource.class, initArgs = @ResourceArg(name = "database", value = "postway_policy_test"))
class OverrideFixedEventTest {

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;
    @Inject
    PolicyReviewPublisher publisher;

    @Test
    void aFixedRemotePublishesOneEventPerFindingAndItsRemovalWorks() throws Exception {
        String topic = ConfigProvider.getConfig().getValue("postway.policy.review.events-topic", String.class);
        String d = domain("override-fixed");
        try (FakeDelivery delivery = new FakeDelivery(kafka); KafkaConsumer<String, byte[]> reader = reader(topic)) {
            admin().body("{\"tls\": {\"minVersion\": \"TLSv1\"}, \"route\": {\"port\": 10026}}").put("/v1/policies/" + d)
                    .then().statusCode(201).body("review.weakens[0]", equalTo("tls.minVersion TLSv1 (default TLSv1.2)"));

            // still TLSv1 only: no finding, no event
            String stillOld = ProbeApiTest.post(d);
            delivery.answer(delivery.awaitRequest(d), List.of(FakeDelivery.tls10Only("old." + d, 10026)));
            ProbeApiTest.awaitEnded(stillOld);

            // the partner upgraded: the note and one event
            String fixed = ProbeApiTest.post(d);
            delivery.answer(delivery.awaitRequest(d), List.of(FakeDelivery.modern("old." + d, 10026)));
            ProbeApiTest.awaitEnded(fixed);
            String note = d + " now accepts TLSv1.2: this override can go";
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> admin().get("/v1/policies/" + d).then()
                    .body("review.note", equalTo(note)));
            List<ConsumerRecord<String, byte[]>> events = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                events.addAll(readUpToEnd(reader, d));
                return !events.isEmpty();
            });
            assertEquals(1, events.size(), "one event per finding");
            ConsumerRecord<String, byte[]> record = events.get(0);
            ContractSchemas.assertValidRecord(Topics.POLICY_REVIEWS, record);
            assertEquals(OverrideFixedEvent.TYPE, ContractSchemas.readAsCloudEvent(record).getType());
            JsonPath event = JsonPath.from(new String(record.value(), StandardCharsets.UTF_8));
            assertEquals(OverrideFixedEvent.eventId(d, fixed), event.getString("id"));
            assertEquals(d, event.getString("subject"));
            assertEquals(d, event.getString("data.rule"));
            assertEquals(1, event.getInt("data.ruleVersion"));
            assertEquals(note, event.getString("data.note"));
            assertEquals(fixed, event.getString("data.probeId"));
            assertEquals(List.of("tls.minVersion TLSv1 (default TLSv1.2)"), event.getList("data.weakens"));
            assertEquals("PATCH", event.getString("data.removal.method"));
            assertEquals("/v1/policies/" + d, event.getString("data.removal.path"));

            // the same answer again: the note stays, no second event (even after an explicit relay pass)
            String again = ProbeApiTest.post(d);
            delivery.answer(delivery.awaitRequest(d), List.of(FakeDelivery.modern("old." + d, 10026)));
            ProbeApiTest.awaitEnded(again);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> admin().get("/v1/policies/" + d).then()
                    .body("review.lastProbeId", equalTo(again)).body("review.note", equalTo(note)));
            assertEquals(0, publisher.publishPending(), "nothing queued for the repeat");
            assertEquals(List.of(), readUpToEnd(reader, d), "no second event for the same fix");

            // the removal the event names drops the override: the rule no longer weakens TLS
            Map<String, String> headers = event.getMap("data.removal.headers");
            admin().contentType(headers.get("Content-Type")).header("If-Match", headers.get("If-Match"))
                    .body(event.getMap("data.removal.body")).patch(event.getString("data.removal.path"))
                    .then().statusCode(200).body("tls.minVersion", nullValue()).body("review", nullValue()).body("route.port", equalTo(10026));
        }
    }

    /** A reader of the test's review topic, from its current end (created here: the broker auto-creates none). */
    private KafkaConsumer<String, byte[]> reader(String topic) throws Exception {
        try (Admin admin = Admin.create(kafka)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        Map<String, Object> c = new HashMap<>(kafka);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "policy-test-review-events-" + UUID.randomUUID());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c);
        await().atMost(Duration.ofSeconds(30)).until(() -> !consumer.partitionsFor(topic, Duration.ofSeconds(5)).isEmpty());
        List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(consumer::position);
        return consumer;
    }

    /** Every record for {@code key} from the reader's position to the topic's end as of now. */
    private static List<ConsumerRecord<String, byte[]>> readUpToEnd(KafkaConsumer<String, byte[]> reader, String key) {
        Map<TopicPartition, Long> end = reader.endOffsets(reader.assignment());
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        while (end.entrySet().stream().anyMatch(e -> reader.position(e.getKey()) < e.getValue())) {
            reader.poll(Duration.ofMillis(200)).forEach(r -> {
                if (key.equals(r.key())) {
                    out.add(r);
                }
            });
        }
        return out;
    }
}
