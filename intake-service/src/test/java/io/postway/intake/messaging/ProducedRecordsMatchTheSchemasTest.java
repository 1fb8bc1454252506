package io.postway.intake.messaging;

import io.cloudevents.CloudEvent;
import io.postway.contract.Topics;
import io.postway.contract.event.DeliveryEvent;
import io.postway.contract.event.EventType;
import io.postway.contract.json.ContractJson;
import io.postway.intake.IntakeTestResource;
import io.postway.testkit.ContractSchemas;
import io.postway.testkit.LocalInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the intake really writes on the broker, from real submissions (JSON with an IDN and mixed
 * case, and a raw message), checked with the testkit's {@link ContractSchemas}: each value against
 * its topic's JSON Schema, the key the topic promises, and each delivery event read by the
 * CloudEvents SDK in structured mode (so the content-type header must be there).
 */
@QuarkusTest
@QuarkusTestResource(value = IntakeTestResource.class, initArgs = @ResourceArg(name = "database", value = "postway_intake_test"))
class ProducedRecordsMatchTheSchemasTest {

    @Test
    void submittedRecordsAndAcceptedEventsAreValidContractRecords() throws Exception {
        String domain = "s" + UUID.randomUUID().toString().substring(0, 8) + ".example";
        try (Capture submitted = new Capture(Topics.SUBMITTED); Capture events = new Capture(Topics.DELIVERY_EVENTS)) {
            Response json = given().header("Authorization", "Bearer test-local-key").contentType("application/json")
                    .body(Map.of("from", "IT <it@" + domain.toUpperCase() + ">", "to", List.of("Jürgen <j@b\u00fccher-" + domain + ">"),
                            "cc", List.of("cc@" + domain), "bcc", List.of("hidden@" + domain), "subject", "schema check", "text", "Hello"))
                    .post("/v1/messages");
            json.then().statusCode(202);
            String raw = "From: s@" + domain + "\r\nTo: a@" + domain + "\r\nSubject: raw\r\n\r\nbody\r\n";
            Response rfc822 = given().header("Authorization", "Bearer test-local-key").contentType("message/rfc822")
                    .body(raw.getBytes(StandardCharsets.US_ASCII)).post("/v1/messages");
            rfc822.then().statusCode(202);
            Set<String> ids = Set.of(json.path("id"), rfc822.path("id"));

            List<ConsumerRecord<String, byte[]>> mine = submitted.read(ids, 2);
            assertEquals(2, mine.size(), "one mail.submitted record per message");
            mine.forEach(ContractSchemas::assertValidRecord);
            assertEquals(Set.of("it@" + domain, "s@" + domain), mine.stream()
                    .map(r -> ContractJson.read(r.value(), SubmittedMessage.class).from()).collect(Collectors.toSet()),
                    "the envelope senders, their domains lower-case");

            List<ConsumerRecord<String, byte[]>> accepted = events.read(ids, 4);
            assertEquals(4, accepted.size(), "one accepted event per recipient: 3 + 1");
            for (ConsumerRecord<String, byte[]> record : accepted) {
                ContractSchemas.assertValidRecord(record);
                CloudEvent event = ContractSchemas.readAsCloudEvent(record);
                assertEquals(EventType.ACCEPTED.type(), event.getType());
                assertTrue(event.getSource().toString().startsWith("/postway/intake-service/"), event.getSource().toString());
                DeliveryEvent read = ContractJson.read(record.value(), DeliveryEvent.class);
                assertEquals(event.getSubject(), read.data().recipient());
                assertEquals(read.data().recipient().substring(read.data().recipient().indexOf('@') + 1), read.data().domain());
            }
            assertEquals(Set.of("j@" + java.net.IDN.toASCII("b\u00fccher-" + domain), "cc@" + domain, "hidden@" + domain, "a@" + domain),
                    accepted.stream().map(r -> ContractJson.read(r.value(), DeliveryEvent.class).data().recipient()).collect(Collectors.toSet()),
                    "envelope recipients in the canonical form");
        }
    }

    /** The records of a topic written after it was made (it starts at the end offsets), values as bytes. */
    static final class Capture implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;

        Capture(String topic) {
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalInfra.get().kafkaBootstrap,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_RECORD_BYTES),
                    new StringDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.endOffsets(partitions).forEach(consumer::seek);
        }

        /** The records keyed by one of {@code keys}, once {@code expected} arrived or 20 s passed. */
        List<ConsumerRecord<String, byte[]>> read(Set<String> keys, int expected) {
            List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
            Instant until = Instant.now().plusSeconds(20);
            while (found.size() < expected && Instant.now().isBefore(until)) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (keys.contains(r.key())) {
                        found.add(r);
                    }
                });
            }
            return found;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
