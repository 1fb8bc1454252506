package io.postway.intake.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.postway.contract.Topics;
import io.postway.contract.event.CloudEventsKafka;
import io.postway.contract.event.DeliveryEvents;
import io.postway.contract.event.EventType;
import io.postway.intake.IntakeService;
import io.postway.intake.IntakeTestResource;
import io.postway.intake.domain.LineEndings;
import io.postway.testkit.LocalInfra;
import io.postway.testkit.LogCapture;
import io.postway.testkit.ContractSchemas;
import io.postway.testkit.TopicRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(value = IntakeTestResource.class, initArgs = @ResourceArg(name = "database", value = "postway_intake_test"))
class MessagesResourceTest {

    static final String LOCAL = "Bearer test-local-key";
    static final String CONTOSO = "Bearer test-contoso-key";
    static final String OTHER = "Bearer test-other-key";
    final ObjectMapper json = new ObjectMapper();

    static String uniqueDomain() {
        return "t" + UUID.randomUUID().toString().substring(0, 8) + ".example";
    }

    Map<String, Object> sample(String domain) {
        return Map.of(
                "from", "Contoso IT <it@" + domain + ">",
                "to", List.of("Jürgen Grün <user@" + domain + ">"),
                "cc", List.of("cc@" + domain),
                "bcc", List.of("hidden@" + domain),
                "replyTo", "reply@" + domain,
                "subject", "Passwort zurücksetzen ✓",
                "text", "Hello\nsecond line\n.\nafter a dot line",
                "html", "<p>Hello</p>",
                "headers", Map.of("X-Ticket", "4711"),
                "attachments", List.of(Map.of("filename", "a.pdf", "contentType", "application/pdf",
                        "content", Base64.getEncoder().encodeToString("%PDF-1.4 test".getBytes(StandardCharsets.US_ASCII)))));
    }

    /** The intake's own Kafka client configuration (security settings included), for reading what it wrote. */
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    /** The end offsets of {@code topic} before a test writes: it then reads only what came after (the topic is shared). */
    Map<TopicPartition, Long> mark(String topic) {
        return TopicRecords.endOffsets(String.valueOf(kafka.get("bootstrap.servers")), topic);
    }

    /** The records of {@code topic} from {@code marks} to its end now whose key is {@code key}. */
    List<ConsumerRecord<String, byte[]>> keyed(String topic, Map<TopicPartition, Long> marks, String key) {
        return TopicRecords.readAfter(kafka, topic, marks, Duration.ofSeconds(30)).stream().filter(r -> key.equals(r.key())).toList();
    }

    static String text(ConsumerRecord<String, byte[]> record) {
        return new String(record.value(), StandardCharsets.UTF_8);
    }

    /** A mail.submitted record in wire format 2: its metadata JSON (header) and the message (value). */
    record Submitted(JsonNode metadata, byte[] content) {
    }

    /** The 202 came after the broker's acknowledgement: the record is there to read, no waiting. */
    Submitted readSubmitted(Map<TopicPartition, Long> marks, String id) throws Exception {
        List<ConsumerRecord<String, byte[]>> found = keyed(Topics.SUBMITTED, marks, id);
        assertEquals(1, found.size(), "one mail.submitted record for " + id);
        return new Submitted(json.readTree(ContractSchemas.mailMetadata(Topics.SUBMITTED, found.get(0))), found.get(0).value());
    }

    @Test
    void theLogLineOfAnAcceptedMessageCarriesItsIdInTheLogContext() {
        try (LogCapture log = LogCapture.of(IntakeService.class.getName(), "messageId")) {
            String id = given().header("Authorization", LOCAL).contentType("application/json").body(sample(uniqueDomain()))
                    .post("/v1/messages").then().statusCode(202).extract().path("id");
            List<LogCapture.Line> accepted = log.containing("accepted " + id + " from client");
            assertEquals(1, accepted.size(), "one line about " + id);
            assertEquals(id, accepted.get(0).mdc(), "the line names its message in the log context");
        }
    }

    @Test
    void acceptsJsonOnlyAfterKafkaHasItAndPublishesCrlfMimeWithoutBcc() throws Exception {
        String domain = uniqueDomain();
        Map<TopicPartition, Long> submitted = mark(Topics.SUBMITTED);
        Map<TopicPartition, Long> events = mark(Topics.DELIVERY_EVENTS);
        Response r = given().header("Authorization", LOCAL).contentType("application/json").body(sample(domain))
                .post("/v1/messages");
        r.then().statusCode(202).header("Location", startsWith("/v1/messages/"))
                .body("status", equalTo("ACCEPTED")).body("recipients", equalTo(3));
        String id = r.path("id");

        Submitted sub = readSubmitted(submitted, id);
        JsonNode rec = sub.metadata();
        assertEquals("local", rec.get("client").asText());
        assertEquals("it@" + domain, rec.get("from").asText());
        assertEquals(List.of("user@" + domain, "cc@" + domain, "hidden@" + domain),
                json.convertValue(rec.get("recipients"), List.class));
        byte[] content = sub.content();
        assertEquals(content.length, rec.get("sizeBytes").asLong());
        assertTrue(LineEndings.isCrlfOnly(content), "CRLF only");
        String text = new String(content, StandardCharsets.US_ASCII);
        assertFalse(text.toLowerCase().contains("\r\nbcc:"), "no Bcc header");
        assertFalse(text.contains("hidden@"), "the blind copy address is not in the content");
        assertTrue(text.contains("Message-ID: <" + id + "@"), "Message-ID added");
        assertTrue(text.contains("\r\nDate: "), "Date added");
        assertTrue(text.contains("\r\nX-Ticket: 4711\r\n"));

        Message parsed = Message.Builder.of(new ByteArrayInputStream(content)).build();
        assertEquals("Passwort zurücksetzen ✓", parsed.getSubject());
        assertEquals("Jürgen Grün", parsed.getTo().flatten().get(0).getName());
        assertEquals("multipart/mixed", parsed.getMimeType());
        assertEquals(2, ((Multipart) parsed.getBody()).getCount());

        // the accepted events leave after the 202, without it waiting for them
        List<ConsumerRecord<String, byte[]>> accepted = await().atMost(Duration.ofSeconds(30))
                .until(() -> keyed(Topics.DELIVERY_EVENTS, events, id), l -> l.size() >= 3);
        assertEquals(3, accepted.size(), "one accepted event per recipient");
        JsonNode ev = json.readTree(accepted.get(0).value());
        assertEquals("1.0", ev.get("specversion").asText());
        assertEquals("postway.message.accepted", ev.get("type").asText());
        assertTrue(ev.get("source").asText().startsWith("/postway/intake-service/"));
        assertEquals("application/json", ev.get("datacontenttype").asText());
        assertEquals(id, ev.at("/data/messageId").asText());
        assertEquals(ev.get("subject").asText(), ev.at("/data/recipient").asText());
        assertEquals("ACCEPTED", ev.at("/data/status").asText());
        for (ConsumerRecord<String, byte[]> record : accepted) {
            JsonNode e = json.readTree(record.value());
            String rcpt = e.at("/data/recipient").asText();
            var contentType = record.headers().lastHeader(CloudEventsKafka.CONTENT_TYPE_HEADER);
            assertEquals(CloudEventsKafka.STRUCTURED_CONTENT_TYPE,
                    contentType == null ? null : new String(contentType.value(), StandardCharsets.UTF_8), "structured-mode header");
            assertEquals(DeliveryEvents.eventId(id, rcpt, EventType.ACCEPTED, 0), e.get("id").asText(), "deterministic id");
            assertEquals(0, e.at("/data/attempt").asInt());
            assertEquals(domain, e.at("/data/domain").asText());
            assertTrue(e.at("/data/smtp").isObject() && e.at("/data/remote").isObject(), "nothing is an object: " + e);
            assertFalse(e.at("/data/tls/used").asBoolean(true), "no TLS session: " + e);
            assertTrue(e.at("/data/policy").isNull(), "no policy known yet");
            assertTrue(e.at("/data/transcript").isArray() && e.at("/data/transcript").isEmpty());
        }
    }

    @Test
    void envelopeDomainsLeaveInTheContractsCanonicalForm() throws Exception {
        String domain = uniqueDomain();
        Map<TopicPartition, Long> submitted = mark(Topics.SUBMITTED);
        Response r = given().header("Authorization", LOCAL).contentType("application/json")
                .body(Map.of("from", "IT@" + domain.toUpperCase(), "to", List.of("Jo.Smith@B\u00fccher-" + domain), "text", "x"))
                .post("/v1/messages");
        r.then().statusCode(202);
        Submitted sub = readSubmitted(submitted, r.path("id"));
        JsonNode rec = sub.metadata();
        assertEquals("IT@" + domain, rec.get("from").asText(), "the local part as written, the domain lower-case");
        assertEquals(List.of("Jo.Smith@" + java.net.IDN.toASCII("b\u00fccher-" + domain)), json.convertValue(rec.get("recipients"), List.class));
    }

    @Test
    void acceptsRawUnixMessageRepairingLineEndingsAndTakingTheEnvelopeFromHeaders() throws Exception {
        String domain = uniqueDomain();
        String raw = "From: Sender <s@" + domain + ">\nTo: a@" + domain + ", Group: g1@" + domain + ";\nBcc: secret@" + domain
                + "\nSubject: pickup\n\nline one\n..leading dots kept\n";
        Map<TopicPartition, Long> submitted = mark(Topics.SUBMITTED);
        Response r = given().header("Authorization", LOCAL).contentType("message/rfc822").body(raw.getBytes(StandardCharsets.US_ASCII))
                .post("/v1/messages");
        r.then().statusCode(202).body("recipients", equalTo(3));
        Submitted sub = readSubmitted(submitted, r.path("id"));
        JsonNode rec = sub.metadata();
        assertEquals("s@" + domain, rec.get("from").asText());
        assertEquals(List.of("a@" + domain, "g1@" + domain, "secret@" + domain), json.convertValue(rec.get("recipients"), List.class));
        String content = new String(sub.content(), StandardCharsets.US_ASCII);
        assertTrue(LineEndings.isCrlfOnly(content.getBytes(StandardCharsets.US_ASCII)));
        assertFalse(content.contains("secret@"), "Bcc removed");
        assertTrue(content.startsWith("Message-ID: <"));
        assertTrue(content.endsWith("\r\n\r\nline one\r\n..leading dots kept\r\n"), content);
    }

    @Test
    void rawMessageUsesTheEnvelopeGivenInQueryParameters() throws Exception {
        String domain = uniqueDomain();
        String raw = "From: s@" + domain + "\r\nTo: shown@" + domain + "\r\nDate: Sat, 28 Nov 2026 10:00:00 +0000\r\nMessage-ID: <keep@x>\r\n\r\nbody\r\n";
        Map<TopicPartition, Long> submitted = mark(Topics.SUBMITTED);
        Response r = given().header("Authorization", LOCAL).contentType("message/rfc822")
                .queryParam("from", "bounce@" + domain).queryParam("to", "one@" + domain).queryParam("to", "two@" + domain)
                .body(raw.getBytes(StandardCharsets.US_ASCII)).post("/v1/messages");
        r.then().statusCode(202).body("recipients", equalTo(2));
        Submitted sub = readSubmitted(submitted, r.path("id"));
        JsonNode rec = sub.metadata();
        assertEquals("bounce@" + domain, rec.get("from").asText());
        assertEquals(List.of("one@" + domain, "two@" + domain), json.convertValue(rec.get("recipients"), List.class));
        assertEquals(raw, new String(sub.content(), StandardCharsets.US_ASCII),
                "a CRLF message with Date and Message-ID is published byte for byte");
    }

    @Test
    void refusesUnknownKeyAndSenderOutsideTheKeysDomains() {
        given().contentType("application/json").body(sample("contoso.test")).post("/v1/messages")
                .then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Bearer wrong").contentType("application/json").body(sample("contoso.test")).post("/v1/messages")
                .then().statusCode(401);
        given().header("Authorization", CONTOSO).contentType("application/json").body(sample("fabrikam.test")).post("/v1/messages")
                .then().statusCode(403).contentType("application/problem+json").body("errors[0].field", equalTo("from"));
        given().header("Authorization", CONTOSO).contentType("application/json").body(sample("contoso.test")).post("/v1/messages")
                .then().statusCode(202);
    }

    /**
     * Configured sender domains are brought into form once, by the contract's Domains.normalize:
     * the default locale's lower-casing (Turkish: I → dotless ı) must not turn MAIL.INTAKE.TEST into another domain.
     */
    @Test
    void configuredSenderDomainsMatchWhateverTheDefaultLocale() {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.forLanguageTag("tr-TR"));
        try {
            given().header("Authorization", "Bearer test-shouting-key").contentType("application/json").body(sample("mail.intake.test"))
                    .post("/v1/messages").then().statusCode(202);
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void sameIdempotencyKeyReturnsTheFirstAnswerAndSendsNothingNew() throws Exception {
        String domain = uniqueDomain();
        String key = "key-" + UUID.randomUUID();
        Map<TopicPartition, Long> submitted = mark(Topics.SUBMITTED);
        Response first = given().header("Authorization", LOCAL).header("Idempotency-Key", key)
                .contentType("application/json").body(sample(domain)).post("/v1/messages");
        first.then().statusCode(202);
        Response again = given().header("Authorization", LOCAL).header("Idempotency-Key", key)
                .contentType("application/json").body(sample(domain)).post("/v1/messages");
        again.then().statusCode(202).header("Idempotent-Replayed", "true").header("Location", first.header("Location"));
        assertEquals(first.<String>path("id"), again.<String>path("id"));
        Response otherClient = given().header("Authorization", OTHER).header("Idempotency-Key", key)
                .contentType("application/json").body(sample(domain)).post("/v1/messages");
        otherClient.then().statusCode(202);
        assertNotEquals(first.<String>path("id"), otherClient.<String>path("id"), "keys are per client");

        // every 202 came after its record's acknowledgement: a record the repeat had sent would be there now
        List<ConsumerRecord<String, byte[]>> mine = TopicRecords.readAfter(kafka, Topics.SUBMITTED, submitted, Duration.ofSeconds(30))
                .stream().filter(r -> text(r).contains("it@" + domain)).toList();
        assertEquals(2, mine.size(), "the repeat sent nothing: one record for local, one for other");
    }

    @Test
    void statusShowsTheLatestDeliveryEventPerRecipientOnlyToItsClient() throws Exception {
        String domain = uniqueDomain();
        Response r = given().header("Authorization", LOCAL).contentType("application/json")
                .body(Map.of("from", "it@" + domain, "to", List.of("a@" + domain, "b@" + domain), "text", "x"))
                .post("/v1/messages");
        r.then().statusCode(202);
        String id = r.path("id");
        given().header("Authorization", LOCAL).get("/v1/messages/" + id).then().statusCode(200)
                .body("recipients.size()", equalTo(2)).body("recipients[0].status", equalTo("ACCEPTED"));

        Map<String, Object> producerConfig = Map.of("bootstrap.servers", LocalInfra.get().kafkaBootstrap, "acks", "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
            // as every producer on the topic writes them: structured mode, with the CloudEvents content-type header
            producer.send(cloudEvent(id, event(id, "a@" + domain, "postway.delivery.deferred", "DEFERRED", 1, "2026-11-28T10:00:01Z"))).get();
            producer.send(cloudEvent(id, event(id, "a@" + domain, "postway.delivery.deferred", "DEFERRED", 2, "2026-11-28T10:15:01Z"))).get();
            producer.send(cloudEvent(id, event(id, "b@" + domain, "postway.delivery.delivered", "DELIVERED", 1, "2026-11-28T10:00:02Z"))).get();
            producer.send(cloudEvent(id, event(id, "b@" + domain, "postway.delivery.deferred", "DEFERRED", 1, "2026-11-28T10:00:01Z"))).get();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header("Authorization", LOCAL).get("/v1/messages/" + id).then().statusCode(200)
                        .body("id", equalTo(id))
                        .body("recipients[0].address", equalTo("a@" + domain))
                        .body("recipients[0].status", equalTo("DEFERRED"))
                        .body("recipients[0].attempts", equalTo(2))
                        .body("recipients[0].lastEvent.nextAttemptAt", equalTo("2026-11-28T10:45:01Z"))
                        .body("recipients[0].lastEvent.diagnosis", equalTo("try 2"))
                        .body("recipients[1].status", equalTo("DELIVERED"))
                        .body("recipients[1].lastEvent.remote.host", equalTo("mx." + domain)));
        given().header("Authorization", OTHER).get("/v1/messages/" + id).then().statusCode(404).contentType("application/problem+json");
        given().header("Authorization", LOCAL).get("/v1/messages/" + UUID.randomUUID()).then().statusCode(404);
    }

    static ProducerRecord<String, String> cloudEvent(String id, String value) {
        ProducerRecord<String, String> record = new ProducerRecord<>("mail.delivery-events", id, value);
        record.headers().add(CloudEventsKafka.CONTENT_TYPE_HEADER, CloudEventsKafka.contentTypeHeaderValue());
        return record;
    }

    static String event(String id, String rcpt, String type, String status, int attempt, String at) {
        String domain = rcpt.substring(rcpt.indexOf('@') + 1);
        String next = status.equals("DEFERRED") ? "\"" + java.time.Instant.parse(at).plusSeconds(1800) + "\"" : "null";
        return "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"source\":\"/postway/delivery-service/test\",\"type\":\"" + type
                + "\",\"time\":\"" + at + "\",\"subject\":\"" + rcpt + "\",\"datacontenttype\":\"application/json\",\"data\":{"
                + "\"messageId\":\"" + id + "\",\"recipient\":\"" + rcpt + "\",\"domain\":\"" + domain + "\",\"status\":\"" + status
                + "\",\"attempt\":" + attempt + ",\"smtp\":{\"code\":250,\"enhancedCode\":null,\"text\":null,\"stage\":\"DONE\"},"
                + "\"remote\":{\"host\":\"mx." + domain + "\",\"ip\":\"127.0.0.1\",\"port\":25,\"via\":\"MX\"},\"tls\":null,\"policy\":null,"
                + "\"diagnosis\":\"try " + attempt + "\",\"nextAttemptAt\":" + next + ",\"submittedAt\":\"2026-11-28T10:00:00Z\",\"at\":\"" + at
                + "\",\"transcript\":[]}}";
    }

    @Test
    void acceptsATenMebibyteMessageWithAttachmentsAndPublishesItWhole() throws Exception {
        String domain = uniqueDomain();
        Random random = new Random(42);
        byte[] a = new byte[3_700_000];
        byte[] b = new byte[3_700_000];
        random.nextBytes(a);
        random.nextBytes(b);
        Map<String, Object> body = Map.of("from", "it@" + domain, "to", List.of("big@" + domain), "subject", "big", "text", "see attachments",
                "attachments", List.of(
                        Map.of("filename", "a.bin", "contentType", "application/octet-stream", "content", Base64.getEncoder().encodeToString(a)),
                        Map.of("filename", "b.bin", "content", Base64.getEncoder().encodeToString(b))));
        Map<TopicPartition, Long> submitted = mark(Topics.SUBMITTED);
        Response r = given().header("Authorization", LOCAL).contentType("application/json").body(body).post("/v1/messages");
        r.then().statusCode(202);
        Submitted sub = readSubmitted(submitted, r.path("id"));
        JsonNode rec = sub.metadata();
        byte[] content = sub.content();
        assertEquals(content.length, rec.get("sizeBytes").asLong());
        assertTrue(content.length > 9_900_000 && content.length <= 10 * 1024 * 1024, "close to the 10 MiB limit: " + content.length);
        Message parsed = Message.Builder.of(new ByteArrayInputStream(content)).build();
        var part = (org.apache.james.mime4j.dom.SingleBody) ((Multipart) parsed.getBody()).getBodyParts().get(1).getBody();
        assertTrue(java.util.Arrays.equals(a, part.getInputStream().readAllBytes()), "the attachment comes back byte for byte");
        byte[] c = new byte[8_000_000];
        given().header("Authorization", LOCAL).contentType("application/json")
                .body(Map.of("from", "it@" + domain, "to", List.of("big@" + domain),
                        "attachments", List.of(Map.of("filename", "c.bin", "content", Base64.getEncoder().encodeToString(c)))))
                .post("/v1/messages").then().statusCode(413).contentType("application/problem+json");
    }
}
