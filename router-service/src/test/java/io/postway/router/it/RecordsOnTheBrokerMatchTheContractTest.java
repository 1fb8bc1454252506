package io.postway.router.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import io.postway.contract.Topics;
import io.postway.contract.json.ContractJson;
import io.postway.testkit.ContractSchemas;
import io.postway.testkit.PostwayInfraResource;
import io.postway.testkit.TopicRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the router really wrote on the broker, read back from the topics as any consumer would,
 * checked against the contract: every mail.outbound job and every delivery event the router makes
 * (bounced for an unroutable domain and for an administrator's deletion, expired, deferred while
 * failing closed) is valid against its topic's JSON Schema, keyed as the topic promises, and each
 * event is read by the CloudEvents SDK from its structured-mode record.
 */
@QuarkusTest
@QuarkusTestResource(value = PostwayInfraResource.class, initArgs = @ResourceArg(name = "database", value = "postway_router_test"))
@QuarkusTestResource(RouterTestResource.class)
class RecordsOnTheBrokerMatchTheContractTest extends RouterTestSupport {

    private static final String ADMIN = "Bearer local-admin-key";

    @Test
    void everyJobAndEventTheRouterWroteIsValidAgainstTheContract() throws Exception {
        String ruled = TestKafka.domain("schema-ruled");
        publishPolicy(ruled, TestPolicies.tlsRule(ruled, 5, "DISABLED"), 5);

        // routed from mail.submitted (one under a domain rule, one under default) + bounced (unroutable domain)
        String submitted = TestKafka.messageId("schema-submitted");
        submit(submitted, List.of("a@" + TestKafka.domain("schema-plain"), "b@" + ruled, "broken@-nope-.example"));
        // expired: accepted more than expireAfter (P2D) ago
        String expired = TestKafka.messageId("schema-expired");
        String slow = TestKafka.domain("schema-slow");
        defer(expired, slow, List.of("x@" + slow, "y@" + slow), 4,
                Instant.now().minus(Duration.ofDays(2)).minusSeconds(60).truncatedTo(ChronoUnit.MILLIS), "451 4.3.0 try later");
        // routed from the queue: delivery promised a retry that is already due
        String retried = TestKafka.messageId("schema-retried");
        String later = TestKafka.domain("schema-later");
        defer(retried, later, List.of("r@" + later), 1, Instant.now().minusSeconds(120).truncatedTo(ChronoUnit.MILLIS),
                "421 4.4.2 timeout", Instant.now().minusSeconds(1).truncatedTo(ChronoUnit.MILLIS));
        // bounced by an administrator
        String deleted = TestKafka.messageId("schema-deleted");
        String gone = TestKafka.domain("schema-gone");
        defer(deleted, gone, List.of("g@" + gone, "h@" + gone), 2, Instant.now().truncatedTo(ChronoUnit.MILLIS), "452 4.2.2 full",
                Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS));
        await().atMost(Duration.ofSeconds(20)).until(() -> !queued(deleted, gone).isEmpty());
        given().header("Authorization", ADMIN).when().delete("/v1/queue/" + deleted).then().statusCode(200);
        // all of the above is decided before default goes away
        await().atMost(Duration.ofSeconds(30)).until(() -> kafka.jobs(submitted).size() == 2 && kafka.jobs(retried).size() == 1
                && kafka.events(submitted).size() == 1 && kafka.events(expired).size() == 2 && kafka.events(deleted).size() == 2);
        // deferred while failing closed, routed once default is known again
        String heldBack = TestKafka.messageId("schema-held");
        try {
            PolicyServiceStub.status = 503;
            publishPolicy("default", null, 0);
            submit(heldBack, List.of("w@" + TestKafka.domain("schema-held")));
            await().atMost(Duration.ofSeconds(20)).until(() -> kafka.events(heldBack).size() == 1);
        } finally {
            PolicyServiceStub.status = 200;
            publishPolicy("default", TestPolicies.defaultRule(1, "REQUIRED"), 1);
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> kafka.jobs(heldBack).size() == 1);

        Set<String> ids = Set.of(submitted, expired, retried, deleted, heldBack);
        List<ConsumerRecord<String, byte[]>> jobs = TopicRecords.readAll(service.kafkaConfig(), Topics.OUTBOUND, Duration.ofSeconds(60))
                .stream().filter(r -> r.value() != null && ids.contains(metadata(r).path("messageId").asText())).toList();
        List<ConsumerRecord<String, byte[]>> events = TopicRecords.readAll(service.kafkaConfig(), Topics.DELIVERY_EVENTS,
                Duration.ofSeconds(60)).stream().filter(r -> ids.contains(r.key())).toList();

        assertEquals(Map.of(submitted, 2L, retried, 1L, heldBack, 1L), jobs.stream()
                .collect(Collectors.groupingBy(r -> metadata(r).path("messageId").asText(), Collectors.counting())));
        jobs.forEach(ContractSchemas::assertValidRecord);

        assertEquals(Map.of("postway.delivery.bounced", 3L, "postway.delivery.expired", 2L, "postway.delivery.deferred", 1L),
                events.stream().collect(Collectors.groupingBy(r -> read(r).path("type").asText(), Collectors.counting())));
        for (ConsumerRecord<String, byte[]> record : events) {
            ContractSchemas.assertValidRecord(record);
            CloudEvent event = ContractSchemas.readAsCloudEvent(record);
            assertEquals("/postway/router-service/test", event.getSource().toString());
            assertEquals("application/json", event.getDataContentType());
            assertEquals(read(record).path("data").path("recipient").asText(), event.getSubject());
        }
    }

    /** A job's JSON: the metadata header of wire format 2, or the value of an older run's format 1 record. */
    private static JsonNode metadata(ConsumerRecord<String, byte[]> record) {
        org.apache.kafka.common.header.Header h = record.headers().lastHeader(io.postway.contract.wire.MailRecords.METADATA_HEADER);
        try {
            return ContractJson.MAPPER.readTree(h == null ? record.value() : h.value());
        } catch (java.io.IOException e) {
            return ContractJson.MAPPER.missingNode(); // neither: not one of this test's jobs
        }
    }

    private static JsonNode read(ConsumerRecord<String, byte[]> record) {
        try {
            return ContractJson.MAPPER.readTree(record.value());
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + record, e);
        }
    }
}
