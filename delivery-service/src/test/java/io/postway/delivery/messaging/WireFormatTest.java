package io.postway.delivery.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.postway.contract.event.DeliveryEvent;
import io.postway.contract.event.DeliveryEvents;
import io.postway.contract.event.EventType;
import io.postway.contract.json.ContractJson;
import io.postway.contract.policy.AuthMethod;
import io.postway.contract.policy.TlsMode;
import io.postway.contract.policy.TlsVerify;
import io.postway.contract.policy.TlsVersion;
import io.postway.delivery.domain.Outcome;
import io.postway.delivery.domain.SmtpReply;
import io.postway.delivery.domain.Stage;
import io.postway.delivery.domain.Via;
import io.postway.delivery.smtp.Policies;
import io.postway.delivery.domain.RecipientResult;
import io.postway.delivery.domain.RemoteEndpoint;
import io.postway.delivery.domain.TlsReport;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Delivery's records against the examples of deploy/docs/contract.md, copied under
 * src/test/resources/examples so the test reads nothing outside the repository. The event's shape is
 * the contract's builder's; what is delivery's own is how an outcome fills it in.
 */
class WireFormatTest {

    static JsonNode example(String name) throws IOException {
        try (InputStream in = WireFormatTest.class.getResourceAsStream("/examples/" + name)) {
            return ContractJson.MAPPER.readTree(in);
        }
    }

    @Test
    void outboundJobReadsTheDocumentedExample() throws Exception {
        OutboundJob job = ContractJson.read(example("mail-outbound.json").toString(), OutboundJob.class);
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
    void deferredRecordWritesExactlyTheDocumentedFields() throws Exception {
        JsonNode doc = example("mail-deferred.json");
        DeferredRecord rec = new DeferredRecord("m", "fabrikam.com", "it@contoso.com", List.of("user@fabrikam.com"), 1,
                Instant.parse("2026-11-28T10:00:00Z"), Instant.parse("2026-11-28T10:00:01Z"), Instant.parse("2026-11-28T10:15:01Z"),
                "Zm9v", "why", "default", 1);
        JsonNode ours = ContractJson.MAPPER.readTree(ContractJson.write(rec));
        assertEquals(fieldNames(doc), fieldNames(ours));
        assertEquals("2026-11-28T10:00:01Z", ours.get("deferredAt").asText());
        assertEquals("2026-11-28T10:15:01Z", ours.get("nextAttemptAt").asText());
    }

    @Test
    void deliveryEventHasEveryFieldOfTheContractExample() throws Exception {
        JsonNode doc = example("delivery-event-deferred.json");
        OutboundJob job = new OutboundJob("j", "m", "fabrikam.com", "it@contoso.com", List.of("user@fabrikam.com"), 1,
                Instant.parse("2026-11-28T10:00:00Z"), "Zm9v", Policies.policy().build());
        RecipientResult r = new RecipientResult("user@fabrikam.com", Outcome.DEFERRED, Stage.STARTTLS,
                SmtpReply.of(List.of("454 4.7.0 TLS not available")), "diag",
                new RemoteEndpoint("mail.fabrikam.com", "203.0.113.11", 25, Via.MX), TlsReport.NONE, false, List.of("S: 220 x"));
        DeliveryEvent event = new OutcomeEvents("a").of(job, r, Instant.parse("2026-11-28T10:00:01Z"),
                Instant.parse("2026-11-28T10:15:01Z"));
        JsonNode ours = ContractJson.MAPPER.readTree(ContractJson.write(event));
        assertEquals(fieldNames(doc), fieldNames(ours));
        assertEquals(fieldPaths(doc.get("data"), ""), fieldPaths(ours.get("data"), ""));
        assertEquals("/postway/delivery-service/a", ours.get("source").asText());
        assertEquals(DeliveryEvents.eventId("m", "user@fabrikam.com", EventType.DEFERRED, 1), ours.get("id").asText());
        assertEquals("2026-11-28T10:15:01Z", ours.at("/data/nextAttemptAt").asText());
        assertEquals("postway.delivery.deferred", ours.get("type").asText());
        assertEquals(454, ours.at("/data/smtp/code").asInt());
        assertEquals("STARTTLS", ours.at("/data/smtp/stage").asText());
        assertEquals("MX", ours.at("/data/remote/via").asText());
        assertEquals("TLSv1.2", ours.at("/data/policy/minVersion").asText());
        assertTrue(ours.at("/data/tls/verified").isNull());
    }

    @Test
    void onlyDeferredRecipientsArePromisedANextAttempt() {
        OutboundJob job = new OutboundJob("j", "m", "fabrikam.com", "it@contoso.com", List.of("user@fabrikam.com"), 1,
                Instant.parse("2026-11-28T10:00:00Z"), "Zm9v", Policies.policy().build());
        RecipientResult delivered = new RecipientResult("user@fabrikam.com", Outcome.DELIVERED, Stage.DONE,
                SmtpReply.of(List.of("250 2.0.0 Ok")), "Delivered.", null, TlsReport.NONE, false, List.of());
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
