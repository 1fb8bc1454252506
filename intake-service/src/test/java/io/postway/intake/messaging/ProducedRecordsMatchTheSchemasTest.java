package io.postway.intake.messaging;

import io.cloudevents.CloudEvent;
import io.postway.contract.Topics;
import io.postway.contract.event.DeliveryEvent;
import io.postway.contract.event.EventType;
import io.postway.contract.json.ContractJson;
import io.postway.contract.wire.MailRecords;
import io.postway.intake.IntakeTestResource;
import io.postway.testkit.ContractSchemas;
import io.postway.testkit.LocalInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.postway.testkit.TopicRecords;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
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
        String kafka = LocalInfra.get().kafkaBootstrap;
        Map<TopicPartition, Long> submittedBefore = TopicRecords.endOffsets(kafka, Topics.SUBMITTED);
        Map<TopicPartition, Long> eventsBefore = TopicRecords.endOffsets(kafka, Topics.DELIVERY_EVENTS);
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

        // a 202 means the submitted record is acknowledged; the accepted events may still travel
        List<ConsumerRecord<String, byte[]>> mine = await().atMost(Duration.ofSeconds(20))
                .until(() -> keyedBy(TopicRecords.readAfter(kafka, Topics.SUBMITTED, submittedBefore), ids), r -> r.size() >= 2);
        assertEquals(2, mine.size(), "one mail.submitted record per message");
        mine.forEach(ContractSchemas::assertValidRecord);
        assertEquals(Set.of("it@" + domain, "s@" + domain), mine.stream()
                .map(r -> MailRecords.read(TopicRecords.headerMap(r), r.value(), SubmittedMessage.class).from()).collect(Collectors.toSet()),
                "the envelope senders, their domains lower-case");

        List<ConsumerRecord<String, byte[]>> accepted = await().atMost(Duration.ofSeconds(20))
                .until(() -> keyedBy(TopicRecords.readAfter(kafka, Topics.DELIVERY_EVENTS, eventsBefore), ids), r -> r.size() >= 4);
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

    private static List<ConsumerRecord<String, byte[]>> keyedBy(List<ConsumerRecord<String, byte[]>> records, Set<String> keys) {
        return records.stream().filter(r -> keys.contains(r.key())).toList();
    }
}
