package io.postway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.postway.contract.Topics;
import io.postway.contract.event.EventType;
import io.postway.contract.json.ContractJson;
import io.postway.testkit.ContractSchemas;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the packaged services really write on every topic follows the project's contract
 * (deploy/docs/contract.md and its JSON Schemas): the whole stack is driven through every event
 * type (accepted, delivered, deferred, bounced by the remote server, expired), a policy is created
 * and deleted, a domain is probed (policy asks, delivery answers), and then every record written
 * since the stack started is checked against its topic's schema and key, and every delivery event
 * is read by the CloudEvents SDK.
 */
class WireContractIT {

    /**
     * Topics these tests cause no record on, and the test that checks a real record of each with
     * {@code ContractSchemas.assertValidRecord}: an override found fixed needs a weakening rule under review and a
     * probe that finds the remote fixed, which policy-service's own test drives against a real broker.
     */
    static final Map<String, String> WRITTEN_ELSEWHERE = Map.of(Topics.POLICY_REVIEWS, "policy-service probe/OverrideFixedEventTest");


    private static StackFixture stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = StackFixture.shared();
    }

    @Test
    void everyRecordOnEveryTopicFollowsTheContractAndEveryEventTypeReadsAsACloudEvent() throws IOException {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String expiring = "wire-expire-" + run + ".test";
        String plain = "wire-plain-" + run + ".test";

        // a TLS 1.0-only server under a TLS 1.2+ policy with a 3 s lifetime: deferred, then expired
        putPolicy(expiring, Map.of(
                "tls", Map.of("mode", "REQUIRED", "minVersion", "TLSv1.2"),
                "route", Map.of("smartHost", "127.0.0.1:" + stack.peerPort("TLS10")),
                "retry", Map.of("intervals", List.of("PT1H"), "expireAfter", "PT3S")));
        // a plaintext server that takes one recipient and refuses the other for good
        putPolicy(plain, Map.of(
                "tls", Map.of("mode", "DISABLED"),
                "route", Map.of("smartHost", "127.0.0.1:" + stack.peerPort("PLAIN"))));

        String expiringId = send(List.of("user@" + expiring));
        String plainId = send(List.of("user@" + plain, "reject550@" + plain));

        JsonNode deferred = stack.awaitEvent(expiringId, EventType.DEFERRED.type()).get("data");
        Instant submittedAt = Instant.parse(deferred.get("submittedAt").asText());
        Instant nextAttemptAt = Instant.parse(deferred.get("nextAttemptAt").asText());
        assertFalse(nextAttemptAt.isAfter(submittedAt.plusSeconds(3)),
                "the promised attempt is capped at the expiry, an hour's interval notwithstanding: " + deferred);
        stack.awaitEvent(expiringId, EventType.EXPIRED.type());
        stack.awaitEvent(plainId, EventType.DELIVERED.type());
        JsonNode bounced = stack.awaitEvent(plainId, EventType.BOUNCED.type()).get("data");
        assertEquals("reject550@" + plain, bounced.get("recipient").asText());
        assertEquals(550, bounced.get("smtp").get("code").asInt(), bounced.toString());

        // a probe of the TLS 1.0-only server: policy asks on mail.probe-requests, delivery answers on mail.probe-results
        String probeId = given().baseUri(StackFixture.POLICY).header("Authorization", StackFixture.ADMIN).contentType(ContentType.JSON)
                .body(Map.of("domain", expiring)).post("/v1/probes").then().statusCode(202).extract().path("id");
        String[] summary = new String[1];
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(90)).until(() -> {
            var probe = given().baseUri(StackFixture.POLICY).header("Authorization", StackFixture.ADMIN)
                    .get("/v1/probes/" + probeId).then().statusCode(200).extract().jsonPath();
            summary[0] = probe.getString("advice.recommendation.summary");
            return !"RUNNING".equals(probe.getString("status"));
        });
        assertTrue(summary[0] != null && summary[0].contains("with minVersion TLSv1 for this domain only"), String.valueOf(summary[0]));

        given().baseUri(StackFixture.POLICY).header("Authorization", StackFixture.ADMIN)
                .delete("/v1/policies/" + plain).then().statusCode(204);

        List<String> violations = new ArrayList<>();
        Set<EventType> typesSeen = EnumSet.noneOf(EventType.class);
        for (String topic : ContractSchemas.TOPICS) {
            List<ConsumerRecord<String, byte[]>> records = stack.recordsSinceStart(topic);
            // a topic no run of these tests writes has its records checked against the contract where they are made
            assertFalse(records.isEmpty() && !WRITTEN_ELSEWHERE.containsKey(topic), "the stack wrote nothing on " + topic + " during the tests");
            for (ConsumerRecord<String, byte[]> r : records) {
                try {
                    ContractSchemas.assertValidRecord(r);
                } catch (AssertionError e) {
                    violations.add(topic + "@" + r.partition() + ":" + r.offset() + " " + e.getMessage());
                }
                if (topic.equals(Topics.DELIVERY_EVENTS)) {
                    JsonNode event = ContractJson.MAPPER.readTree(r.value());
                    String messageId = event.path("data").path("messageId").asText();
                    if (messageId.equals(expiringId) || messageId.equals(plainId)) {
                        EventType.fromType(event.path("type").asText()).ifPresent(typesSeen::add);
                    }
                }
            }
        }
        assertTrue(violations.isEmpty(), violations.size() + " records break the contract:\n" + String.join("\n", violations));

        // wire format 2: the router hands the message on as it is, mail.submitted's value is mail.outbound's
        Map<String, byte[]> messages = stack.recordsSinceStart(Topics.SUBMITTED).stream()
                .collect(Collectors.toMap(ConsumerRecord::key, ConsumerRecord::value, (first, replay) -> first));
        List<ConsumerRecord<String, byte[]>> jobs = stack.recordsSinceStart(Topics.OUTBOUND).stream()
                .filter(r -> Set.of(expiringId, plainId).contains(
                        readTree(ContractSchemas.mailMetadata(Topics.OUTBOUND, r)).path("messageId").asText()))
                .toList();
        assertFalse(jobs.isEmpty(), "the drive's messages were routed");
        for (ConsumerRecord<String, byte[]> job : jobs) {
            String messageId = readTree(ContractSchemas.mailMetadata(Topics.OUTBOUND, job)).path("messageId").asText();
            assertArrayEquals(messages.get(messageId), job.value(), "the job of " + messageId + " carries the submitted bytes");
        }
        assertEquals(EnumSet.allOf(EventType.class), typesSeen, "the drive went through every event type");
        assertTrue(stack.recordsSinceStart(Topics.POLICY_CHANGES).stream()
                        .anyMatch(r -> r.key().equals(plain) && r.value() == null),
                "deleting a rule leaves a tombstone on " + Topics.POLICY_CHANGES);

        // one event per recipient, outcome and attempt: replays would repeat an id, never invent a second one
        Map<String, Long> terminalPerRecipient = stack.recordsSinceStart(Topics.DELIVERY_EVENTS).stream()
                .map(r -> readTree(r.value()))
                .filter(e -> Set.of(expiringId, plainId).contains(e.path("data").path("messageId").asText()))
                .filter(e -> EventType.fromType(e.path("type").asText()).map(EventType::terminal).orElse(false))
                .collect(Collectors.groupingBy(e -> e.path("data").path("recipient").asText(),
                        Collectors.mapping(e -> e.path("id").asText(), Collectors.collectingAndThen(Collectors.toSet(), s -> (long) s.size()))));
        assertEquals(Map.of("user@" + expiring, 1L, "user@" + plain, 1L, "reject550@" + plain, 1L), terminalPerRecipient);
    }

    private static void putPolicy(String domain, Map<String, Object> body) {
        given().baseUri(StackFixture.POLICY).header("Authorization", StackFixture.ADMIN).contentType(ContentType.JSON)
                .body(body).put("/v1/policies/" + domain).then().statusCode(201);
    }

    private static String send(List<String> to) {
        return given().baseUri(StackFixture.INTAKE).header("Authorization", StackFixture.CLIENT).contentType(ContentType.JSON)
                .body(Map.of("from", "it@contoso.test", "to", to, "subject", "contract check", "text", "hello"))
                .post("/v1/messages").then().statusCode(202).extract().path("id");
    }

    private static JsonNode readTree(byte[] json) {
        try {
            return ContractJson.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
