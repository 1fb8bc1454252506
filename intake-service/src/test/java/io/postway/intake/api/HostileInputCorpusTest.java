package io.postway.intake.api;

import io.postway.intake.IntakeTestResource;
import io.postway.contract.Topics;
import io.postway.testkit.TopicRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile input: every case is refused with a 4xx problem+json (never a 5xx), and afterwards
 * nothing carrying this run's marker is on mail.submitted or mail.delivery-events.
 */
@QuarkusTest
@QuarkusTestResource(value = IntakeTestResource.class, initArgs = @ResourceArg(name = "database", value = "postway_intake_test"))
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class HostileInputCorpusTest {

    static final String MARK = "hostile" + UUID.randomUUID().toString().substring(0, 8);
    static final String D = MARK + ".example";
    /** The intake's own Kafka client configuration, for reading what it wrote. */
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    /** The topics' end offsets before the corpus ran: only what was written after them is this run's. */
    Map<TopicPartition, Long> submittedMarks;
    Map<TopicPartition, Long> eventMarks;

    record Case(String name, String contentType, byte[] body, int status, String field, String query) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case json(String name, String body, String field) {
        return new Case(name, "application/json", body.getBytes(StandardCharsets.UTF_8), 400, field, null);
    }

    static Case json(String name, byte[] body, String field) {
        return new Case(name, "application/json", body, 400, field, null);
    }

    static Case raw(String name, String body, String field) {
        return new Case(name, "message/rfc822", body.getBytes(StandardCharsets.ISO_8859_1), 400, field, null);
    }

    /** A valid JSON message with one field replaced by {@code fieldJson} ("name": value). */
    static String withField(String name, String valueJson) {
        StringBuilder b = new StringBuilder("{");
        String[][] fields = {
                {"from", "\"it@" + D + "\""}, {"to", "[\"u@" + D + "\"]"}, {"subject", "\"" + MARK + "\""}, {"text", "\"hello " + MARK + "\""}};
        boolean replaced = false;
        for (String[] f : fields) {
            if (b.length() > 1) {
                b.append(',');
            }
            if (f[0].equals(name)) {
                b.append('"').append(name).append("\":").append(valueJson);
                replaced = true;
            } else {
                b.append('"').append(f[0]).append("\":").append(f[1]);
            }
        }
        if (!replaced) {
            b.append(",\"").append(name).append("\":").append(valueJson);
        }
        return b.append('}').toString();
    }

    static final String OK_HEAD = "From: it@" + D + "\r\nTo: u@" + D + "\r\nSubject: " + MARK + "\r\n";

    static List<Case> corpus() {
        List<Case> c = new ArrayList<>();
        // malformed JSON
        c.add(json("empty body", "", "body"));
        c.add(json("truncated object", "{\"from\":\"it@" + D + "\",\"to\":[\"u@" + D + "\"", "body"));
        c.add(json("trailing garbage", withField("text", "\"" + MARK + "\"") + "}", "body"));
        c.add(json("two objects", withField("text", "\"a\"") + withField("text", "\"b\""), "body"));
        c.add(json("array at top", "[" + withField("text", "\"a\"") + "]", "body"));
        c.add(json("string at top", "\"" + MARK + "\"", "body"));
        c.add(json("single quotes", "{'from':'it@" + D + "'}", "body"));
        c.add(json("comment", "{/*" + MARK + "*/\"from\":\"it@" + D + "\"}", "body"));
        c.add(json("duplicate key smuggles a second sender", "{\"from\":\"it@" + D + "\",\"from\":\"evil@evil.example\",\"to\":[\"u@" + D + "\"],\"text\":\"" + MARK + "\"}", "body"));
        c.add(json("deep nesting", "{\"headers\":" + "[".repeat(100) + "]".repeat(100) + ",\"text\":\"" + MARK + "\"}", "body"));
        c.add(json("unknown field", withField("sender", "\"x@" + D + "\""), "sender"));
        c.add(json("NUL outside a string", withField("text", "\"" + MARK + "\"").replace(",", ",\u0000"), "body"));
        // wrong types
        c.add(json("from is a number", withField("from", "42"), "from"));
        c.add(json("from is an array", withField("from", "[\"it@" + D + "\"]"), "from"));
        c.add(json("to is a string", withField("to", "\"u@" + D + "\""), "to"));
        c.add(json("to holds a number", withField("to", "[1]"), "to[0]"));
        c.add(json("to holds an object", withField("to", "[{\"address\":\"u@" + D + "\"}]"), "to[0]"));
        c.add(json("subject is an object", withField("subject", "{\"a\":1}"), "subject"));
        c.add(json("text is boolean", withField("text", "true"), "text"));
        c.add(json("headers is an array", withField("headers", "[\"X-A: 1\"]"), "headers"));
        c.add(json("header value is a number", withField("headers", "{\"X-A\":1}"), "headers.X-A"));
        c.add(json("attachments is an object", withField("attachments", "{}"), "attachments"));
        c.add(json("attachment content not base64", withField("attachments", "[{\"filename\":\"a.txt\",\"content\":\"%%%" + MARK + "\"}]"), "attachments[0].content"));
        c.add(json("attachment without filename", withField("attachments", "[{\"content\":\"QQ==\"}]"), "attachments[0].filename"));
        c.add(json("attachment content type injection", withField("attachments", "[{\"filename\":\"a\",\"contentType\":\"text/plain\\r\\nBcc: x@evil.example\",\"content\":\"QQ==\"}]"), "attachments[0].contentType"));
        c.add(json("attachment filename with CRLF", withField("attachments", "[{\"filename\":\"a\\r\\nX-Evil: 1\",\"content\":\"QQ==\"}]"), "attachments[0].filename"));
        c.add(json("multipart attachment type", withField("attachments", "[{\"filename\":\"a\",\"contentType\":\"multipart/mixed\",\"content\":\"QQ==\"}]"), "attachments[0].contentType"));
        // addresses
        c.add(json("missing from", "{\"to\":[\"u@" + D + "\"],\"text\":\"" + MARK + "\"}", "from"));
        c.add(json("no recipients", withField("to", "[]"), "to"));
        c.add(json("address without at", withField("to", "[\"" + MARK + "\"]"), "to[0]"));
        c.add(json("address without domain", withField("to", "[\"u@\"]"), "to[0]"));
        c.add(json("domain literal", withField("to", "[\"u@[127.0.0.1]\"]"), "to[0]"));
        c.add(json("single label domain", withField("to", "[\"u@localhost\"]"), "to[0]"));
        c.add(json("domain label with underscore", withField("to", "[\"u@bad_label." + D + "\"]"), "to[0]"));
        c.add(json("local part too long", withField("to", "[\"" + "a".repeat(65) + "@" + D + "\"]"), "to[0]"));
        c.add(json("two addresses in one from", withField("from", "\"a@" + D + ", b@" + D + "\""), "from"));
        c.add(json("CRLF in address", withField("to", "[\"u@" + D + "\\r\\nRCPT TO:<x@evil.example>\"]"), "to[0]"));
        c.add(json("NUL in address", withField("from", "\"it\\u0000@" + D + "\""), "from"));
        c.add(json("non-ASCII local part", withField("to", "[\"jürgen@" + D + "\"]"), "to[0]"));
        c.add(json("source route", withField("to", "[\"<@relay.example:u@" + D + ">\"]"), "to[0]"));
        c.add(json("too many recipients", withField("to", "[" + String.join(",", java.util.Collections.nCopies(1001, "\"u@" + D + "\"")) + "]"), "to"));
        // header injection
        c.add(json("CRLF in subject", withField("subject", "\"" + MARK + "\\r\\nBcc: x@evil.example\""), "subject"));
        c.add(json("bare LF in subject", withField("subject", "\"" + MARK + "\\nBcc: x@evil.example\""), "subject"));
        c.add(json("bare CR in subject", withField("subject", "\"" + MARK + "\\rX: 1\""), "subject"));
        c.add(json("NUL in subject", withField("subject", "\"" + MARK + "\\u0000\""), "subject"));
        c.add(json("CRLF in custom header value", withField("headers", "{\"X-Ticket\":\"1\\r\\n\\r\\n" + MARK + "\"}"), "headers.X-Ticket"));
        c.add(json("colon in header name", withField("headers", "{\"X-A:B\":\"1\"}"), "headers.X-A:B"));
        c.add(json("space in header name", withField("headers", "{\"X A\":\"1\"}"), "headers.X A"));
        c.add(json("custom Bcc header", withField("headers", "{\"Bcc\":\"x@evil.example\"}"), "headers.Bcc"));
        c.add(json("custom Content-Type header", withField("headers", "{\"Content-Type\":\"text/html\"}"), "headers.Content-Type"));
        c.add(json("subject too long", withField("subject", "\"" + "x".repeat(1000) + "\""), "subject"));
        // smuggling sequences in JSON bodies
        c.add(json("text with CRLF then LF.LF", withField("text", "\"a\\r\\nb\\n.\\nMAIL FROM:<x@evil.example>\""), "text"));
        c.add(json("text with CR.CR", withField("text", "\"a\\r.\\rMAIL FROM:<x@evil.example>\""), "text"));
        c.add(json("html with bare CR", withField("html", "\"<p>" + MARK + "</p>\\r\""), "html"));
        c.add(json("NUL in text", withField("text", "\"" + MARK + "\\u0000\""), "text"));
        // 8-bit and UTF-8 edge cases in JSON
        c.add(json("invalid UTF-8 byte", bytes("{\"from\":\"it@" + D + "\",\"to\":[\"u@" + D + "\"],\"text\":\"", new byte[]{(byte) 0xC3, (byte) 0x28}, "\"}"), "body"));
        c.add(json("overlong UTF-8 slash", bytes("{\"from\":\"it@" + D + "\",\"to\":[\"u@" + D + "\"],\"text\":\"", new byte[]{(byte) 0xC0, (byte) 0xAF}, "\"}"), "body"));
        c.add(json("unpaired surrogate in subject", withField("subject", "\"" + MARK + "\\ud800\""), "subject"));
        c.add(json("unpaired surrogate in display name", withField("from", "\"\\udc00 <it@" + D + ">\""), "from"));
        c.add(json("invalid punycode domain", withField("to", "[\"u@xn--" + MARK + "-.example\"]"), "to[0]"));
        // raw messages
        c.add(raw("raw bare LF mixed with CRLF (LF.LF smuggling)", OK_HEAD + "\r\nline\r\n\n.\nMAIL FROM:<x@evil.example>\r\n", "content"));
        c.add(raw("raw CR.CR smuggling", OK_HEAD + "\r\nline\r.\rMAIL FROM:<x@evil.example>\r\n", "content"));
        c.add(raw("raw CRLF . LF", OK_HEAD + "\r\nline\r\n.\nRSET\r\n", "content"));
        c.add(raw("raw bare CR header fold", "From: it@" + D + "\rTo: u@" + D + "\r\n\r\n" + MARK + "\r\n", "content"));
        c.add(raw("raw NUL in body", OK_HEAD + "\r\n" + MARK + "\u0000\r\n", "content"));
        c.add(raw("raw NUL in header", "From: it@" + D + "\r\nX-A: \u0000\r\nTo: u@" + D + "\r\n\r\n" + MARK + "\r\n", "content"));
        c.add(raw("raw header line without colon", OK_HEAD + "this is not a header " + MARK + "\r\n\r\nbody\r\n", "content"));
        c.add(raw("raw without From", "To: u@" + D + "\r\nSubject: " + MARK + "\r\n\r\nbody\r\n", "header From"));
        c.add(raw("raw two From headers", OK_HEAD + "From: other@" + D + "\r\n\r\nbody\r\n", "header From"));
        c.add(raw("raw without recipients", "From: it@" + D + "\r\nSubject: " + MARK + "\r\n\r\nbody\r\n", "to"));
        c.add(raw("raw invalid From", "From: not an address " + MARK + "\r\nTo: u@" + D + "\r\n\r\nbody\r\n", "header From"));
        c.add(raw("raw invalid To", "From: it@" + D + "\r\nTo: <" + MARK + "\r\n\r\nbody\r\n", "header To"));
        c.add(raw("raw 8-bit header", "From: it@" + D + "\r\nTo: u@" + D + "\r\nSubject: Gr\u00fc\u00df " + MARK + "\r\n\r\nbody\r\n", "header Subject"));
        c.add(raw("raw line over 998 octets", OK_HEAD + "\r\n" + "x".repeat(1200) + "\r\n", "content"));
        c.add(raw("raw empty", "", "content"));
        c.add(raw("raw only a body", MARK + " no header here at all\r\n", "content"));
        c.add(new Case("raw invalid envelope from", "message/rfc822", (OK_HEAD + "\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII), 400, "from", "from=" + MARK));
        c.add(new Case("raw invalid envelope to", "message/rfc822", (OK_HEAD + "\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII), 400, "to[0]", "to=" + MARK));
        c.add(new Case("JSON with envelope parameters", "application/json", withField("text", "\"x\"").getBytes(StandardCharsets.UTF_8), 400, "from", "from=it@" + D));
        c.add(new Case("JSON with only to=", "application/json", withField("text", "\"x\"").getBytes(StandardCharsets.UTF_8), 400, "to", "to=u@" + D));
        // oversize and media types
        c.add(new Case("raw over 10 MiB", "message/rfc822", oversizeRaw(), 413, "content", null));
        c.add(new Case("JSON attachment over 10 MiB", "application/json", oversizeJson(), 413, "content", null));
        c.add(new Case("text/plain", "text/plain", ("hello " + MARK).getBytes(StandardCharsets.US_ASCII), 415, null, null));
        c.add(new Case("XML", "application/xml", ("<from>it@" + D + "</from>").getBytes(StandardCharsets.US_ASCII), 415, null, null));
        c.add(new Case("JSON in latin-1", "application/json; charset=ISO-8859-1", withField("text", "\"x\"").getBytes(StandardCharsets.ISO_8859_1), 415, null, null));
        c.add(new Case("garbage content type", "%%%/" + MARK, withField("text", "\"x\"").getBytes(StandardCharsets.US_ASCII), 415, null, null));
        return c;
    }

    static byte[] bytes(String head, byte[] middle, String tail) {
        byte[] h = head.getBytes(StandardCharsets.UTF_8);
        byte[] t = tail.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[h.length + middle.length + t.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(middle, 0, out, h.length, middle.length);
        System.arraycopy(t, 0, out, h.length + middle.length, t.length);
        return out;
    }

    static byte[] oversizeRaw() {
        StringBuilder b = new StringBuilder(OK_HEAD).append("\r\n");
        String line = "x".repeat(76) + "\r\n";
        while (b.length() < 10 * 1024 * 1024 + 100) {
            b.append(line);
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] oversizeJson() {
        String content = Base64.getEncoder().encodeToString(new byte[8 * 1024 * 1024]);
        return withField("attachments", "[{\"filename\":\"big.bin\",\"content\":\"" + content + "\"}]").getBytes(StandardCharsets.US_ASCII);
    }

    @BeforeAll
    void markTopics() {
        String bootstrap = String.valueOf(kafka.get("bootstrap.servers"));
        submittedMarks = TopicRecords.endOffsets(bootstrap, Topics.SUBMITTED);
        eventMarks = TopicRecords.endOffsets(bootstrap, Topics.DELIVERY_EVENTS);
    }

    /** The values of {@code topic} written since {@code marks}, to its end now. */
    List<String> valuesSince(String topic, Map<TopicPartition, Long> marks) {
        // a mail.submitted record's envelope is in its headers, the message (raw) is its value: both are searched
        return TopicRecords.readAfter(kafka, topic, marks, Duration.ofSeconds(30)).stream()
                .map(r -> TopicRecords.headers(r) + new String(r.value(), StandardCharsets.ISO_8859_1)).toList();
    }

    @org.junit.jupiter.api.Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void hostileInputIsRefusedWithA4xxProblem(Case c) {
        var request = given().header("Authorization", "Bearer test-local-key").contentType(c.contentType()).body(c.body());
        Response r = c.query() == null ? request.post("/v1/messages") : request.post("/v1/messages?" + c.query());
        assertEquals(c.status(), r.statusCode(), c.name() + ": " + r.asString());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        assertEquals(c.status(), r.<Integer>path("status"));
        assertTrue(r.<String>path("title") != null && r.<String>path("detail") != null && r.<String>path("type") != null);
        if (c.field() != null) {
            List<String> fields = r.path("errors.field");
            assertTrue(fields != null && fields.contains(c.field()), c.name() + ": expected field " + c.field() + " in " + r.asString());
        }
    }

    @org.junit.jupiter.api.Order(1)
    @org.junit.jupiter.api.Test
    void theCorpusHasAtLeastFiftyCases() {
        assertTrue(corpus().size() >= 50, "cases: " + corpus().size());
    }

    @org.junit.jupiter.api.Order(2)
    @org.junit.jupiter.api.Test
    void nothingOfTheCorpusReachedKafka() {
        // a control message proves the readers see this run's writes: the corpus's absence is then meaningful
        given().header("Authorization", "Bearer test-local-key").contentType("application/json")
                .body(withField("subject", "\"control " + MARK + "\"")).post("/v1/messages").then().statusCode(202);
        // the 202 came after the broker's acknowledgement: the control record is there to read
        List<String> mine = valuesSince(Topics.SUBMITTED, submittedMarks).stream().filter(HostileInputCorpusTest::carriesMark).toList();
        assertEquals(1, mine.size(), "only the control message reached mail.submitted");
        assertTrue(mine.get(0).contains("control " + MARK), "mail.submitted's value is the message itself");
        // its accepted event leaves after the 202, without the answer waiting for it
        List<String> ev = await().atMost(Duration.ofSeconds(30))
                .until(() -> valuesSince(Topics.DELIVERY_EVENTS, eventMarks).stream().filter(v -> v.contains(D)).toList(), l -> !l.isEmpty());
        assertEquals(1, ev.size(), "only the control message's accepted event");
    }

    static boolean carriesMark(String value) {
        return value.contains(MARK);
    }
}
