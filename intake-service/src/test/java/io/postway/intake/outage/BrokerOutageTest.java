package io.postway.intake.outage;

import io.postway.contract.Topics;
import io.postway.testkit.ContractSchemas;
import io.postway.testkit.TopicRecords;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker goes away and comes back: while it is away the intake answers 503 within the ack
 * timeout and nothing it refused is written later; once it is back the next submission is a
 * clean 202 and on the topic, without restarting the intake.
 */
@QuarkusTest
@TestProfile(BrokerOutageProfile.class)
class BrokerOutageTest {

    static final Duration ACK_TIMEOUT = Duration.ofSeconds(5);
    static final Duration SLACK = Duration.ofSeconds(2);

    /** The intake's own Kafka client configuration: this test's broker. */
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    static Map<String, Object> message(String domain) {
        return Map.of("from", "it@" + domain, "to", List.of("user@" + domain, "boss@" + domain),
                "subject", "outage " + domain, "text", "Hello");
    }

    static Response post(String domain) {
        return given().header("Authorization", "Bearer test-local-key").contentType("application/json")
                .body(message(domain)).post("/v1/messages");
    }

    static String domain(String tag) {
        return tag + "-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
    }

    @AfterAll
    static void brokerGone() {
        OutageBrokerResource.BROKER.kill();
    }

    @Test
    void answers503WhileTheBrokerIsDownAndAClean202OnceItIsBack() throws Exception {
        post(domain("before")).then().statusCode(202);

        OutageBrokerResource.BROKER.stop();
        assertFalse(OutageBrokerResource.BROKER.isRunning());
        List<String> refusedDomains = new ArrayList<>();
        for (int i = 0; i < 2; i++) { // the second one shows the intake still answers after a failed send
            String refused = domain("refused");
            refusedDomains.add(refused);
            long t0 = System.nanoTime();
            Response r = post(refused);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            r.then().statusCode(503).contentType(startsWith("application/problem+json"))
                    .body("status", equalTo(503)).body("title", equalTo("Service unavailable"))
                    .header("Retry-After", equalTo("5"));
            assertTrue(took.compareTo(ACK_TIMEOUT.plus(SLACK)) < 0, "503 within the ack timeout, took " + took);
        }

        OutageBrokerResource.BROKER.start();
        String back = domain("back");
        String bootstrap = String.valueOf(kafka.get("bootstrap.servers"));
        Map<TopicPartition, Long> submitted = TopicRecords.endOffsets(bootstrap, Topics.SUBMITTED);
        Map<TopicPartition, Long> events = TopicRecords.endOffsets(bootstrap, Topics.DELIVERY_EVENTS);
        Response r = post(back);
        r.then().statusCode(202).body("status", equalTo("ACCEPTED"));
        String id = r.path("id");
        // the 202 came after the broker's acknowledgement: the record is there to read
        List<ConsumerRecord<String, byte[]>> found = TopicRecords.readAfter(kafka, Topics.SUBMITTED, submitted, Duration.ofSeconds(30))
                .stream().filter(x -> id.equals(x.key())).toList();
        assertEquals(1, found.size(), "the message accepted after the outage is on mail.submitted");
        assertTrue(new String(ContractSchemas.mailMetadata(Topics.SUBMITTED, found.get(0)), StandardCharsets.UTF_8)
                .contains("\"from\":\"it@" + back + "\""));
        List<ConsumerRecord<String, byte[]>> accepted = await().atMost(Duration.ofSeconds(30)).until(() ->
                TopicRecords.readAfter(kafka, Topics.DELIVERY_EVENTS, events, Duration.ofSeconds(30)).stream()
                        .filter(x -> id.equals(x.key())).toList(), l -> l.size() >= 2);
        assertEquals(2, accepted.size(), "its accepted events are published too");

        // nothing answered 503 reached the topic, not even later (the producer gave up before the answer)
        List<String> all = TopicRecords.readAll(kafka, Topics.SUBMITTED, Duration.ofSeconds(30)).stream()
                .map(x -> new String(ContractSchemas.mailMetadata(Topics.SUBMITTED, x), StandardCharsets.UTF_8)).toList();
        assertTrue(all.stream().anyMatch(v -> v.contains(id)), "the reader sees the accepted one");
        for (String refused : refusedDomains) {
            assertFalse(all.stream().anyMatch(v -> v.contains("it@" + refused)), "a 503 message was written: " + refused);
        }

        // a send failure must not leave the intake reporting itself dead (a restart would be pointless)
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP")));
    }
}
