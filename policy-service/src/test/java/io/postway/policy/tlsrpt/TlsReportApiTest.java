package io.postway.policy.tlsrpt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.postway.contract.json.ContractJson;
import io.postway.contract.tlsrpt.ResultType;
import io.postway.testkit.ContractSchemas;
import io.postway.testkit.PostwayInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import static io.postway.policy.TestSupport.admin;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS-RPT end to end inside policy-service, with real parts: delivery events on the broker, the
 * attempts in PostgreSQL, the rua found in the tlsrpt peers' DNS (127.0.0.1:5357) and the report
 * POSTed to their nginx (127.0.0.1:10443, test-CA certificate), whose stored body must gunzip to the
 * stored report and be valid against RFC 8460's schema. The mailto: path through intake is
 * deploy/e2e's {@code TlsReportIT}.
 */
@QuarkusTest
@QuarkusTestResource(value = PostwayInfraResource.class, initArgs = @ResourceArg(name = "database", value = "postway_policy_test"))
@QuarkusTestResource(TlsRptPeersResource.class)
class TlsReportApiTest {

    /** A past day of its own per run: reports are one per domain and day, and the database outlives runs. */
    static final LocalDate DAY = LocalDate.of(2001, 1, 1).plusDays(System.currentTimeMillis() / 1000 % 7000);
    static final Instant AT = DAY.atTime(10, 0).toInstant(ZoneOffset.UTC);

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;
    @Inject
    DataSource db;

    @Test
    void reportsOfADayAreBuiltSentOnceAndListed() throws Exception {
        ObjectNode mismatch = TlsRptEvents.deferred("https.rpt.test", "mx.https.rpt.test", AT.plusSeconds(60),
                ResultType.CERTIFICATE_HOST_MISMATCH);
        List<ObjectNode> events = new ArrayList<>(List.of(
                TlsRptEvents.delivered("https.rpt.test", "mx.https.rpt.test", AT),
                TlsRptEvents.delivered("https.rpt.test", "mx.https.rpt.test", AT.plusSeconds(1)),
                mismatch, mismatch, // a replayed event counts once
                TlsRptEvents.delivered("split.rpt.test", "mx.split.rpt.test", AT),
                TlsRptEvents.delivered("failing.rpt.test", "mx.failing.rpt.test", AT),
                TlsRptEvents.delivered("wrongname.rpt.test", "mx.wrongname.rpt.test", AT),
                TlsRptEvents.delivered("mail.rpt.test", "mx.mail.rpt.test", AT),
                TlsRptEvents.delivered("norua.rpt.test", "mx.norua.rpt.test", AT),
                TlsRptEvents.delivered("two.rpt.test", "mx.two.rpt.test", AT),
                // the next day's attempt is not in this day's report
                TlsRptEvents.delivered("https.rpt.test", "mx.https.rpt.test", AT.plus(Duration.ofDays(1)))));
        publish(events);
        await().atMost(Duration.ofSeconds(60)).until(() -> attemptsOn(DAY) == 9);
        assertEquals(3, attemptsOf("https.rpt.test", DAY), "the replayed event was recorded once");

        JsonPath run = admin().post("/v1/tls-reports/run?date=" + DAY).then().statusCode(200).extract().jsonPath();
        assertEquals(DAY.toString(), run.getString("date"));
        assertEquals(List.of(), run.getList("skipped"));
        assertEquals(7, run.getList("reports").size());

        JsonPath https = one("https.rpt.test");
        assertEquals(List.of("https://127.0.0.1:10443/tlsrpt"), https.getList("rua"));
        assertEquals("SENT", https.getString("destinations[0].status"));
        assertEquals(1, https.getInt("destinations[0].attempts"));
        assertEquals(1, https.getList("sends").size());
        assertTrue(https.getBoolean("sends[0].ok"));
        String reportId = https.getString("reportId");
        assertEquals(DAY + ".https.rpt.test@postway.localhost", reportId);
        JsonNode stored = ContractJson.MAPPER.valueToTree(https.getMap("report"));
        assertEquals(2, stored.at("/policies/0/summary/total-successful-session-count").asInt());
        assertEquals(1, stored.at("/policies/0/summary/total-failure-session-count").asInt());
        assertEquals("certificate-host-mismatch", stored.at("/policies/0/failure-details/0/result-type").asText());
        assertEquals(DAY + "T00:00:00Z", stored.at("/date-range/start-datetime").asText());

        // what the receiver got: application/tlsrpt+gzip whose body gunzips to the stored report, valid per RFC 8460
        JsonNode received = receivedReport(reportId).orElseThrow(() -> new AssertionError("nginx stored no body of " + reportId));
        assertEquals(stored, received);
        String receivedJson = ContractJson.MAPPER.writeValueAsString(received);
        assertEquals(List.of(), ContractSchemas.violationsOfResource(AttemptsAndReportsTest.SCHEMA, receivedJson), receivedJson);

        assertEquals("SENT", one("split.rpt.test").getString("destinations[0].status"), "the TXT record's strings are joined");

        JsonPath failing = one("failing.rpt.test");
        assertEquals("PENDING", failing.getString("destinations[0].status"));
        assertTrue(failing.getString("destinations[0].lastError").startsWith("HTTP 503"), failing.prettify());
        assertFalse(failing.getBoolean("sends[0].ok"));
        Instant sentAt = Instant.parse(failing.getString("sends[0].at"));
        assertEquals(sentAt.plus(Duration.ofHours(1)), Instant.parse(failing.getString("destinations[0].nextAttemptAt")), "retried later");

        JsonPath wrongName = one("wrongname.rpt.test");
        assertEquals("PENDING", wrongName.getString("destinations[0].status"));
        assertTrue(wrongName.getString("destinations[0].lastError").contains("SSLHandshakeException"), wrongName.prettify());

        JsonPath mail = one("mail.rpt.test");
        assertEquals(List.of("mailto:tlsrpt@reports.peer.test"), mail.getList("rua"));
        assertTrue(mail.getString("destinations[0].lastError").contains("no intake client key"), mail.prettify());

        JsonPath norua = one("norua.rpt.test");
        assertEquals(List.of(), norua.getList("rua"));
        assertEquals(List.of(), norua.getList("destinations"));
        assertEquals("no v=TLSRPTv1 record", norua.getString("ruaProblem"));
        assertNotNull(norua.getMap("report"), "the report is kept even with nowhere to send it");
        assertTrue(one("two.rpt.test").getString("ruaProblem").contains("none is used"));

        // a second run builds nothing new and sends nothing again: sent stays sent, the failed one is not due yet
        admin().post("/v1/tls-reports/run?date=" + DAY).then().statusCode(200);
        assertEquals(1, one("https.rpt.test").getList("sends").size());
        assertEquals(1, one("failing.rpt.test").getList("sends").size());
        assertEquals(1, receivedCount(reportId), "sent once");
    }

    @Test
    void theApiIsForAdminsAndRunsOnlyEndedDays() {
        RestAssured.given().post("/v1/tls-reports/run").then().statusCode(401);
        RestAssured.given().header("Authorization", "Bearer local-client-key").get("/v1/tls-reports").then().statusCode(403);
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        admin().post("/v1/tls-reports/run?date=" + today).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("date"));
        admin().get("/v1/tls-reports?date=28-11-2026").then().statusCode(400);
        admin().get("/v1/tls-reports?domain=never.rpt.test").then().statusCode(200).body("size()", equalTo(0));
    }

    private JsonPath one(String domain) {
        JsonPath list = admin().get("/v1/tls-reports?domain=" + domain + "&date=" + DAY).then().statusCode(200).extract().jsonPath();
        assertEquals(1, list.getList("$").size(), domain + ": " + list.prettify());
        return new JsonPath(ContractJson.write(list.getMap("[0]")));
    }

    private void publish(List<ObjectNode> events) throws Exception {
        Map<String, Object> p = new HashMap<>(kafka);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (ObjectNode e : events) {
                producer.send(new ProducerRecord<>(TlsRptPeersResource.EVENTS_TOPIC, e.at("/data/messageId").asText(),
                        ContractJson.MAPPER.writeValueAsString(e))).get(30, TimeUnit.SECONDS);
            }
        }
    }

    private long attemptsOn(LocalDate day) throws Exception {
        return count("SELECT count(*) FROM tlsrpt_attempt WHERE day = ? AND policy_domain LIKE '%.rpt.test'", day, null);
    }

    private long attemptsOf(String domain, LocalDate day) throws Exception {
        return count("SELECT count(*) FROM tlsrpt_attempt WHERE day = ? AND policy_domain = ?", day, domain);
    }

    private long count(String sql, LocalDate day, String domain) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, day);
            if (domain != null) {
                ps.setString(2, domain);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The bodies nginx kept (rua.log: body file, content type, URI, status) that gunzip to a report of this id. */
    private static List<JsonNode> received(String reportId) throws Exception {
        Path log = TlsRptPeersResource.runDir().resolve("log/rua.log");
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(log)) {
            return out;
        }
        for (String line : Files.readAllLines(log)) {
            String[] f = line.split(" ");
            if (f.length < 4 || !f[1].equals("application/tlsrpt+gzip") || !f[3].equals("200") || !Files.exists(Path.of(f[0]))) {
                continue;
            }
            byte[] body = Files.readAllBytes(Path.of(f[0]));
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                JsonNode report = ContractJson.MAPPER.readTree(in.readAllBytes());
                if (reportId.equals(report.path("report-id").asText())) {
                    out.add(report);
                }
            } catch (java.util.zip.ZipException e) {
                // the selftest's plain-text bodies
            }
        }
        return out;
    }

    private static Optional<JsonNode> receivedReport(String reportId) throws Exception {
        return received(reportId).stream().findFirst();
    }

    private static int receivedCount(String reportId) throws Exception {
        return received(reportId).size();
    }
}
