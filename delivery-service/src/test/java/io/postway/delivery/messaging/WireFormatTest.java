package io.postway.delivery.messaging;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.postway.delivery.domain.AuthMethod;
import io.postway.delivery.domain.Outcome;
import io.postway.delivery.domain.SmtpReply;
import io.postway.delivery.domain.Stage;
import io.postway.delivery.domain.TlsMode;
import io.postway.delivery.domain.TlsVerify;
import io.postway.delivery.domain.Via;
import io.postway.delivery.infra.Policies;
import io.postway.delivery.infra.RecipientResult;
import io.postway.delivery.infra.RemoteEndpoint;
import io.postway.delivery.infra.TlsReport;
import io.postway.testkit.LocalInfra;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Delivery's copies of the wire records against the JSON examples of CONTRACT.md and deploy/docs/messages.md. */
class WireFormatTest {

    // configured like Quarkus' default ObjectMapper
    static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);

    static String jsonBlockAfter(Path file, String heading) throws Exception {
        String text = Files.readString(file);
        int at = text.indexOf(heading);
        Matcher m = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(text);
        if (!m.find(at)) {
            throw new AssertionError("no JSON example after " + heading);
        }
        // the docs shorten ids with "..."; keep them valid JSON strings
        return m.group(1);
    }

    static Path messagesMd() {
        return LocalInfra.repositoryRoot().resolve("deploy/docs/messages.md");
    }

    @Test
    void outboundJobReadsTheDocumentedExample() throws Exception {
        OutboundJob job = JSON.readValue(jsonBlockAfter(messagesMd(), "## `mail.outbound`"), OutboundJob.class);
        assertEquals("fabrikam.com", job.domain());
        assertEquals(List.of("user@fabrikam.com"), job.recipients());
        assertEquals(1, job.attempt());
        assertEquals(Instant.parse("2026-11-28T10:00:00Z"), job.submittedAt());
        assertEquals(TlsMode.REQUIRED, job.policy().tls().mode());
        assertEquals(TlsVerify.NONE, job.policy().tls().verify());
        assertEquals("TLSv1.2", job.policy().tls().minVersion());
        assertEquals(AuthMethod.NONE, job.policy().auth().method());
        assertEquals(25, job.policy().route().port());
        assertEquals(20, job.policy().limits().maxConnections());
        assertEquals(Duration.ofMinutes(15), job.policy().retry().intervals().get(0));
        assertEquals(Duration.ofDays(2), job.policy().retry().expireAfter());
        assertEquals(3, job.policy().version());
    }

    @Test
    void deferredRecordWritesExactlyTheDocumentedFields() throws Exception {
        JsonNode doc = JSON.readTree(jsonBlockAfter(messagesMd(), "## `mail.deferred`"));
        DeferredRecord rec = new DeferredRecord("m", "fabrikam.com", "it@contoso.com", List.of("user@fabrikam.com"), 1,
                Instant.parse("2026-11-28T10:00:00Z"), Instant.parse("2026-11-28T10:00:01Z"), "Zm9v", "why", "default", 1);
        JsonNode ours = JSON.valueToTree(rec);
        assertEquals(fieldNames(doc), fieldNames(ours));
        assertEquals("2026-11-28T10:00:01Z", ours.get("deferredAt").asText());
    }

    @Test
    void deliveryEventHasEveryFieldOfTheContractExample() throws Exception {
        Path contract = LocalInfra.repositoryRoot().getParent().resolve("shared/CONTRACT.md");
        if (!Files.exists(contract)) {
            contract = Path.of("/work/shared/CONTRACT.md");
        }
        JsonNode doc = JSON.readTree(jsonBlockAfter(contract, "## Delivery events"));
        OutboundJob job = new OutboundJob("j", "m", "fabrikam.com", "it@contoso.com", List.of("user@fabrikam.com"), 1,
                Instant.parse("2026-11-28T10:00:00Z"), "Zm9v", Policies.policy().build());
        RecipientResult r = new RecipientResult("user@fabrikam.com", Outcome.DEFERRED, Stage.STARTTLS,
                SmtpReply.of(List.of("454 4.7.0 TLS not available")), "diag",
                new RemoteEndpoint("mail.fabrikam.com", "203.0.113.11", 25, Via.MX), TlsReport.NONE, false, List.of("S: 220 x"));
        DeliveryEvent event = DeliveryEvents.of(job, r, "/postway/delivery-service/a", Instant.parse("2026-11-28T10:00:01Z"));
        JsonNode ours = JSON.valueToTree(event);
        assertEquals(List.of("specversion", "id", "source", "type", "time", "subject", "datacontenttype", "data"), fieldNames(ours));
        assertEquals(fieldPaths(doc, ""), fieldPaths(ours.get("data"), ""));
        assertEquals("2026-11-28T10:15:01Z", ours.at("/data/nextAttemptAt").asText());
        assertEquals("postway.delivery.deferred", ours.get("type").asText());
        assertTrue(ours.at("/data/tls/verified").isNull());
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
