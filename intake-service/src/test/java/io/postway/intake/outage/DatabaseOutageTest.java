package io.postway.intake.outage;

import io.postway.contract.Topics;
import io.postway.contract.event.CloudEventsKafka;
import io.postway.contract.event.DeliveryEvents;
import io.postway.contract.event.EventType;
import io.postway.contract.json.ContractJson;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * PostgreSQL goes away for longer than any retry of the old projection (which gave up after ~2 s
 * and stopped for good) and comes back: meanwhile the intake keeps accepting (Kafka is the truth),
 * answers its own fresh messages from memory, and reports the status view DOWN; afterwards the view
 * catches up by itself — every accepted message has its owner row (rebuilt from the accepted
 * events' {@code data.client}) and every delivery event published during the outage is in it, and
 * no message answered 202 is ever a 404 — and readiness is UP again, without a restart.
 */
@QuarkusTest
@TestProfile(DatabaseOutageProfile.class)
class DatabaseOutageTest {

    static final String LOCAL = "Bearer test-local-key";
    static final Duration OUTAGE = Duration.ofSeconds(8);

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    @AfterAll
    static void databaseGone() {
        OutageDatabaseResource.POSTGRES.stop();
    }

    static String submit(String domain, int n) {
        Response r = given().header("Authorization", LOCAL).contentType("application/json")
                .body(Map.of("from", "it@" + domain, "to", List.of("a" + n + "@" + domain, "b" + n + "@" + domain),
                        "subject", "outage " + n, "text", "Hello"))
                .post("/v1/messages");
        r.then().statusCode(202);
        return r.path("id");
    }

    @Test
    void theStatusViewRidesOutADatabaseOutageAndCatchesUpByItself() throws Exception {
        String domain = "pg-outage-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
        List<String> before = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            before.add(submit(domain, i));
        }
        for (String id : before) {
            await().atMost(Duration.ofSeconds(30)).until(() -> ownerOf(id) != null);
        }
        given().get("/q/health/ready").then().statusCode(200);

        OutageDatabaseResource.POSTGRES.stop();
        long downAt = System.nanoTime();
        List<String> during = new ArrayList<>();
        for (int i = 5; i < 15; i++) {
            during.add(submit(domain, i)); // accepting needs Kafka only
        }
        // read-your-writes while the database is away: this instance still knows what it accepted
        given().header("Authorization", LOCAL).get("/v1/messages/" + during.get(0)).then().statusCode(200)
                .body("recipients.status", hasItem("ACCEPTED"));
        // outcomes keep arriving on the topic while the view cannot write them
        DeliveryEvents delivery = new DeliveryEvents("delivery-service", "outage-test");
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (String id : concat(before, during)) {
                for (String rcpt : recipientsOf(id, concat(before, during), domain)) {
                    String value = ContractJson.write(delivery.event(EventType.DELIVERED, id, rcpt, domain, 1, Instant.now()).build());
                    ProducerRecord<String, String> r = new ProducerRecord<>(Topics.DELIVERY_EVENTS, id, value);
                    r.headers().add(CloudEventsKafka.CONTENT_TYPE_HEADER, CloudEventsKafka.contentTypeHeaderValue());
                    producer.send(r).get();
                }
            }
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'status-projection' }.status", equalTo("DOWN")));
        // hold the outage well past the old projection's ~2 s of retries before it stopped for good
        long left = OUTAGE.toNanos() - (System.nanoTime() - downAt);
        if (left > 0) {
            Thread.sleep(Duration.ofNanos(left).toMillis());
        }
        given().get("/q/health/ready").then().statusCode(503);

        OutageDatabaseResource.POSTGRES.start();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'status-projection' }.status", equalTo("UP")));
        List<String> all = concat(before, during);
        for (String id : all) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(List.of("DELIVERED", "DELIVERED"), statusesOf(id), id));
            assertEquals("local", ownerOf(id), "the owner row of " + id + " was rebuilt from its accepted events");
            given().header("Authorization", LOCAL).get("/v1/messages/" + id).then().statusCode(200)
                    .body("recipients.size()", equalTo(2)).body("recipients[0].status", equalTo("DELIVERED"))
                    .body("recipients[1].status", equalTo("DELIVERED"));
        }
        // and a message accepted after the outage is queried as before
        String after = submit(domain, 99);
        given().header("Authorization", LOCAL).get("/v1/messages/" + after).then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> ownerOf(after) != null);
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** submit(domain, n) sent to a<n> and b<n>: n is the id's position. */
    static List<String> recipientsOf(String id, List<String> ids, String domain) {
        int n = ids.indexOf(id);
        return List.of("a" + n + "@" + domain, "b" + n + "@" + domain);
    }

    static Connection db() throws Exception {
        return DriverManager.getConnection(OutageDatabaseResource.POSTGRES.jdbcUrl(), "postgres", "");
    }

    static String ownerOf(String id) throws Exception {
        try (Connection c = db(); PreparedStatement ps = c.prepareStatement("SELECT client FROM submitted_message WHERE message_id=?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    static List<String> statusesOf(String id) throws Exception {
        try (Connection c = db(); PreparedStatement ps = c.prepareStatement("SELECT status FROM recipient_status WHERE message_id=? ORDER BY recipient")) {
            ps.setString(1, id);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }
}
