package io.postway.delivery.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.postway.contract.Topics;
import io.postway.contract.event.DeliveryEvent;
import io.postway.contract.event.DeliveryEvents;
import io.postway.contract.event.EventType;
import io.postway.contract.json.ContractJson;
import io.postway.contract.tlsrpt.ResultType;
import io.postway.contract.policy.AuthMethod;
import io.postway.contract.policy.TlsMode;
import io.postway.contract.policy.TlsVerify;
import io.postway.contract.policy.TlsVersion;
import io.postway.contract.wire.MailRecords;
import io.postway.delivery.domain.Outcome;
import io.postway.delivery.domain.RecipientResult;
import io.postway.delivery.domain.RemoteEndpoint;
import io.postway.delivery.domain.SmtpReply;
import io.postway.delivery.domain.Stage;
import io.postway.delivery.domain.TlsReport;
import io.postway.delivery.domain.Via;
import io.postway.delivery.smtp.Policies;
import io.postway.testkit.LocalInfra;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Delivery's records against the JSON examples of deploy/docs/contract.md (those marked
 * {@code <!-- schema: topic -->}, which the testkit also holds to the schemas). The event's shape is
 * the contract's builder's; what is delivery's own is how an outcome fills it in.
 */
class WireFormatTest {

    /** The {@code n}-th JSON example of {@code topic} in deploy/docs/contract.md. */
    static JsonNode example(String topic, int n) throws Exception {
        String doc = Files.readString(LocalInfra.repositoryRoot().resolve("deploy/docs/contract.md"));
        Matcher m = Pattern.compile("<!-- schema: " + Pattern.quote(topic) + " -->\\n```json\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        for (int i = 0; i <= n; i++) {
            if (!m.find()) {
                throw new AssertionError("contract.md has no JSON example " + n + " of " + topic);
            }
        }
        return ContractJson.MAPPER.readTree(m.group(1));
    }

    @Test
    void outboundJobReadsTheDocumentedExample() throws Exception {
        // the example is the metadata header of wire format 2; the value is the message
        byte[] message = "Subject: x\r\n\r\nx\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        OutboundJob job = MailRecords.read(java.util.Map.of(MailRecords.FORMAT_HEADER, MailRecords.FORMAT.getBytes(),
                MailRecords.METADATA_HEADER, example(Topics.OUTBOUND, 0).toString().getBytes()), message, OutboundJob.class);
        org.junit.jupiter.api.Assertions.assertSame(message, job.content(), "the value is the content, not a copy");
        assertEquals("fabrikam.com", job.domain());
        assertEquals(List.of("user@fabrikam.com"), job.recipients());
        assertEquals(1, job.attempt());
        assertEquals(Instant.parse("2026-11-28T10:00:00Z"), job.submittedAt());
        assertEquals(TlsMode.REQUIRED, job.policy().tls().mode());
        assertEquals(TlsVerify.NONE, job.policy().tls().verify());
        assertEquals(TlsVersion.TLS_1_2, job.policy().tls().minVersion());
        assertEquals(AuthMethod.NONE, job.policy().auth().method());
        assertEquals(25, job.policy().route().port());
        assertEquals(20, job.policy().limits().maxConnections());
        assertEquals(Duration.ofMinutes(15), job.policy().retry().intervals().get(0));
        assertEquals(Duration.ofDays(2), job.policy().retry().expireAfter());
        assertEquals(3, job.policy().version());
    }

    @Test
    void outboundJobIsReadAsMailRecordsReadsIt() throws Exception {
        byte[] message = "Subject: x\r\n\r\nx\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.util.Map<String, byte[]> format2 = java.util.Map.of(MailRecords.FORMAT_HEADER, MailRecords.FORMAT.getBytes(),
                MailRecords.METADATA_HEADER, example(Topics.OUTBOUND, 0).toString().getBytes());
        OutboundJob direct = OutboundJob.read(format2, message);
        org.junit.jupiter.api.Assertions.assertSame(message, direct.content(), "the value is the content, not a copy");
        assertEquals(MailRecords.read(format2, message, OutboundJob.class), direct);
        // format 1: the JSON value with base64 content
        com.fasterxml.jackson.databind.node.ObjectNode json = (com.fasterxml.jackson.databind.node.ObjectNode) example(Topics.OUTBOUND, 0);
        json.put(MailRecords.CONTENT, java.util.Base64.getEncoder().encodeToString(message));
        OutboundJob format1 = OutboundJob.read(java.util.Map.of(), json.toString().getBytes());
        org.junit.jupiter.api.Assertions.assertArrayEquals(message, format1.content());
        assertEquals(direct.policy(), format1.policy());
        assertEquals(direct.recipients(), format1.recipients());
        for (byte[] bad : new byte[][]{"null".getBytes(), "[1]".getBytes(), "{".getBytes()}) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> OutboundJob.read(
                    java.util.Map.of(MailRecords.FORMAT_HEADER, MailRecords.FORMAT.getBytes(), MailRecords.METADATA_HEADER, bad), message));
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> OutboundJob.read(
                java.util.Map.of(MailRecords.FORMAT_HEADER, MailRecords.FORMAT.getBytes()), message), "no metadata header");
    }

    @Test
    void deferredRecordWritesExactlyTheDocumentedFields() throws Exception {
        JsonNode doc = example(Topics.DEFERRED, 0);
        DeferredRecord rec = new DeferredRecord("m", "fabrikam.com", "it@contoso.com", List.of("user@fabrikam.com"), 1,
                Instant.parse("2026-11-28T10:00:00Z"), Instant.parse("2026-11-28T10:00:01Z"), "foo".getBytes(), "why", "default", 1,
                Instant.parse("2026-11-28T10:15:01Z"));
        JsonNode ours = ContractJson.MAPPER.readTree(ContractJson.write(rec));
        assertEquals(fieldNames(doc), fieldNames(ours));
        assertEquals("2026-11-28T10:00:01Z", ours.get("deferredAt").asText());
        assertEquals("2026-11-28T10:15:01Z", ours.get("nextAttemptAt").asText());
    }

    @Test
    void theContractsDeferredEventIsWhatDeliveryWritesForTheSameOutcome() throws Exception {
        JsonNode doc = example(Topics.DELIVERY_EVENTS, 0);
        JsonNode data = doc.get("data");
        List<String> transcript = new ArrayList<>();
        data.get("transcript").forEach(line -> transcript.add(line.asText()));
        OutboundJob job = new OutboundJob("j", data.get("messageId").asText(), "fabrikam.com", "it@contoso.com",
                List.of("user@fabrikam.com"), 1, Instant.parse("2026-11-28T10:00:00Z"), "foo".getBytes(), Policies.policy().build());
        RecipientResult r = new RecipientResult("user@fabrikam.com", Outcome.DEFERRED, Stage.STARTTLS, null,
                data.get("diagnosis").asText(), ResultType.VALIDATION_FAILURE, new RemoteEndpoint("mail.fabrikam.com", "203.0.113.11", 25, Via.MX),
                TlsReport.NONE, false, transcript, ContractJson.MAPPER.treeToValue(data.get("dane"), DeliveryEvent.Dane.class),
                ContractJson.MAPPER.treeToValue(data.get("mtaSts"), DeliveryEvent.MtaSts.class));
        DeliveryEvent event = new OutcomeEvents("delivery-1").of(job, r, Instant.parse("2026-11-28T10:00:01Z"),
                Instant.parse("2026-11-28T10:15:01Z"));
        // every field and value, the deterministic id included
        assertEquals(doc, ContractJson.MAPPER.readTree(ContractJson.write(event)));
    }

    @Test
    void aRepliedOutcomeFillsInTheReplyStageAndPolicy() throws Exception {
        OutboundJob job = new OutboundJob("j", "m", "fabrikam.com", "it@contoso.com", List.of("user@fabrikam.com"), 1,
                Instant.parse("2026-11-28T10:00:00Z"), "foo".getBytes(), Policies.policy().build());
        RecipientResult r = new RecipientResult("user@fabrikam.com", Outcome.DEFERRED, Stage.STARTTLS,
                SmtpReply.of(List.of("454 4.7.0 TLS not available")), "diag", ResultType.STARTTLS_NOT_SUPPORTED,
                new RemoteEndpoint("mail.fabrikam.com", "203.0.113.11", 25, Via.MX), TlsReport.NONE, false, List.of("S: 220 x"));
        DeliveryEvent event = new OutcomeEvents("a").of(job, r, Instant.parse("2026-11-28T10:00:01Z"),
                Instant.parse("2026-11-28T10:15:01Z"));
        JsonNode ours = ContractJson.MAPPER.readTree(ContractJson.write(event));
        assertEquals(fieldNames(example(Topics.DELIVERY_EVENTS, 0)), fieldNames(ours));
        assertEquals(fieldPaths(example(Topics.DELIVERY_EVENTS, 0).get("data"), ""), fieldPaths(ours.get("data"), ""));
        assertEquals("/postway/delivery-service/a", ours.get("source").asText());
        assertEquals(DeliveryEvents.eventId("m", "user@fabrikam.com", EventType.DEFERRED, 1), ours.get("id").asText());
        assertEquals("2026-11-28T10:15:01Z", ours.at("/data/nextAttemptAt").asText());
        assertEquals("postway.delivery.deferred", ours.get("type").asText());
        assertEquals(454, ours.at("/data/smtp/code").asInt());
        assertEquals("STARTTLS", ours.at("/data/smtp/stage").asText());
        assertEquals("MX", ours.at("/data/remote/via").asText());
        assertEquals("TLSv1.2", ours.at("/data/policy/minVersion").asText());
        assertTrue(ours.at("/data/tls/verified").isNull());
        assertEquals("starttls-not-supported", ours.at("/data/failureType").asText());
    }

    @Test
    void onlyDeferredRecipientsArePromisedANextAttempt() {
        OutboundJob job = new OutboundJob("j", "m", "fabrikam.com", "it@contoso.com", List.of("user@fabrikam.com"), 1,
                Instant.parse("2026-11-28T10:00:00Z"), "foo".getBytes(), Policies.policy().build());
        RecipientResult delivered = new RecipientResult("user@fabrikam.com", Outcome.DELIVERED, Stage.DONE,
                SmtpReply.of(List.of("250 2.0.0 Ok")), "Delivered.", null, null, TlsReport.NONE, false, List.of());
        DeliveryEvent event = new OutcomeEvents("a").of(job, delivered, Instant.parse("2026-11-28T10:00:01Z"),
                Instant.parse("2026-11-28T10:15:01Z"));
        assertEquals(null, event.data().nextAttemptAt());
        assertEquals(DeliveryEvent.Remote.NONE, event.data().remote());
        assertEquals("postway.delivery.delivered", event.type());
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> fieldPaths(JsonNode n, String prefix) {
        List<String> out = new ArrayList<>();
        Iterator<String> it = n.fieldNames();
        while (it.hasNext()) {
            String f = it.next();
            out.add(prefix + f);
            if (n.get(f).isObject()) {
                out.addAll(fieldPaths(n.get(f), prefix + f + "."));
            }
        }
        return out;
    }
}
