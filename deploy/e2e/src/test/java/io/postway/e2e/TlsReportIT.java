package io.postway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.postway.contract.Topics;
import io.postway.contract.event.CloudEventsKafka;
import io.postway.contract.event.DeliveryEvent;
import io.postway.contract.event.DeliveryEvents;
import io.postway.contract.event.EventType;
import io.postway.contract.json.ContractJson;
import io.postway.testkit.ContractSchemas;
import io.postway.testkit.LocalInfra;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A TLS-RPT report mailed through Postway itself: a day's delivery events for {@code mail.rpt.test}
 * (whose {@code _smtp._tls} TXT in the tlsrpt peers' DNS says {@code rua=mailto:tlsrpt@reports.peer.test}),
 * an admin's run for that day, and the report arrives at the Postfix peer with RFC 8460's headers and
 * an attachment that gunzips to a report valid against RFC 8460's schema. The events are written
 * as delivery writes them (the contract's builder), for a past day of this run's own: a day's report
 * is built once, and the stack's database outlives runs.
 */
class TlsReportIT {

    static final String DOMAIN = "mail.rpt.test";
    static final LocalDate DAY = LocalDate.of(2001, 1, 1).plusDays(System.currentTimeMillis() / 1000 % 7000);

    private static StackFixture stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = StackFixture.shared();
    }

    @Test
    void aReportIsMailedThroughIntakeToTheDomainsRuaWithRfc8460sHeadersAndAValidAttachment() throws Exception {
        // the rua mailbox's domain is delivered to the STARTTLS peer
        given().baseUri(StackFixture.POLICY).header("Authorization", StackFixture.ADMIN).contentType(ContentType.JSON)
                .body(Map.of("tls", Map.of("mode", "REQUIRED", "verify", "NONE"),
                        "route", Map.of("smartHost", "127.0.0.1:" + stack.peerPort("STARTTLS"))))
                .put("/v1/policies/reports.peer.test")
                .then().statusCode(anyOf(equalTo(200), equalTo(201)));

        Instant at = DAY.atTime(9, 30).toInstant(ZoneOffset.UTC);
        DeliveryEvents delivery = new DeliveryEvents("delivery-service", "e2e-tlsrpt");
        DeliveryEvent ok = delivery.event(EventType.DELIVERED, UUID.randomUUID().toString(), "user@" + DOMAIN, DOMAIN, 1, at)
                .remote(new DeliveryEvent.Remote("mx." + DOMAIN, "127.0.0.1", 25, "MX"))
                .tls(new DeliveryEvent.Tls(true, "TLSv1.3", "TLS_AES_256_GCM_SHA384", true, "CN=mx." + DOMAIN, "CN=CA", at, false))
                .smtp(new DeliveryEvent.Smtp(250, "2.0.0", "Ok", "DONE")).diagnosis("Delivered.").submittedAt(at).build();
        DeliveryEvent failed = delivery.event(EventType.DEFERRED, UUID.randomUUID().toString(), "user@" + DOMAIN, DOMAIN, 1, at)
                .remote(new DeliveryEvent.Remote("mx." + DOMAIN, "127.0.0.1", 25, "MX"))
                .smtp(new DeliveryEvent.Smtp(null, null, null, "STARTTLS"))
                .failureType(io.postway.contract.tlsrpt.ResultType.STARTTLS_NOT_SUPPORTED)
                .diagnosis("mx." + DOMAIN + " does not offer STARTTLS and the policy requires TLS.")
                .nextAttemptAt(at.plusSeconds(900)).submittedAt(at).build();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalInfra.get().kafkaBootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            for (DeliveryEvent e : List.of(ok, failed)) {
                // as every producer of the topic writes it: structured mode, with its content-type header
                var record = new ProducerRecord<>(Topics.DELIVERY_EVENTS, e.data().messageId(), ContractJson.write(e));
                record.headers().add(CloudEventsKafka.CONTENT_TYPE_HEADER,
                        CloudEventsKafka.contentTypeHeaderValue());
                producer.send(record).get(30, TimeUnit.SECONDS);
            }
        }

        // policy-service records the events asynchronously: run the day until its report exists
        String reportId = DAY + "." + DOMAIN + "@postway.localhost";
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).until(() ->
                given().baseUri(StackFixture.POLICY).header("Authorization", StackFixture.ADMIN)
                        .post("/v1/tls-reports/run?date=" + DAY).then().statusCode(200).extract().jsonPath()
                        .getList("reports.reportId").contains(reportId));

        String mail = stack.awaitInMaildir("Report-ID: <" + reportId + ">").replace("\r\n", "\n");
        assertTrue(mail.contains("\nSubject: Report Domain: " + DOMAIN + " Submitter: postway.localhost Report-ID: <" + reportId + ">\n"), mail);
        assertTrue(mail.contains("\nTLS-Report-Domain: " + DOMAIN + "\n"), mail);
        assertTrue(mail.contains("\nTLS-Report-Submitter: postway.localhost\n"), mail);
        assertTrue(mail.contains("Content-Type: multipart/report; report-type=\"tlsrpt\""), mail);
        assertTrue(mail.contains("To: tlsrpt@reports.peer.test"), mail);
        Matcher part = Pattern.compile("Content-Type: application/tlsrpt\\+gzip\\nContent-Transfer-Encoding: base64\\n"
                + "Content-Disposition: attachment; filename=\"postway\\.localhost!" + Pattern.quote(DOMAIN) + "!\\d+!\\d+\\.json\\.gz\"\\n\\n"
                + "([A-Za-z0-9+/=\\n]+?)\\n--", Pattern.DOTALL).matcher(mail);
        assertTrue(part.find(), "the gzipped report part: " + mail);
        byte[] gz = Base64.getMimeDecoder().decode(part.group(1));
        String json = new String(new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(List.of(), ContractSchemas.violationsOfResource(ContractSchemas.RFC8460_REPORT, json), json);
        JsonNode report = new ObjectMapper().readTree(json);
        assertEquals(reportId, report.get("report-id").asText());
        assertEquals(DOMAIN, report.at("/policies/0/policy/policy-domain").asText());
        assertEquals(1, report.at("/policies/0/summary/total-successful-session-count").asInt());
        assertEquals(1, report.at("/policies/0/summary/total-failure-session-count").asInt());
        assertEquals("starttls-not-supported", report.at("/policies/0/failure-details/0/result-type").asText());

        JsonPath listed = given().baseUri(StackFixture.POLICY).header("Authorization", StackFixture.ADMIN)
                .get("/v1/tls-reports?domain=" + DOMAIN + "&date=" + DAY).then().statusCode(200).extract().jsonPath();
        assertEquals("SENT", listed.getString("[0].destinations[0].status"));
        assertTrue(listed.getString("[0].sends[0].detail").startsWith("accepted by intake"), listed.prettify());
    }
}
