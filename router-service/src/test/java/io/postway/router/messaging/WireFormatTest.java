package io.postway.router.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.postway.contract.event.DeliveryEvent;
import io.postway.contract.json.ContractJson;
import io.postway.contract.policy.PolicyRule;
import io.postway.contract.policy.TlsMode;
import io.postway.contract.wire.MailRecords;
import io.postway.testkit.LocalInfra;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The router's records (and the contract's types it reads and writes) against the JSON examples of
 * deploy/docs/contract.md: reading an example and writing it back gives the same fields and values.
 * (Whether what the router really writes is valid is RecordsOnTheBrokerMatchTheContractTest's.)
 */
class WireFormatTest {

    /** The JSON examples of {@code topic} in deploy/docs/contract.md (each marked {@code <!-- schema: topic -->}). */
    private static List<String> examples(String topic) throws Exception {
        String doc = Files.readString(LocalInfra.repositoryRoot().resolve("deploy/docs/contract.md"));
        Matcher m = Pattern.compile("<!-- schema: " + Pattern.quote(topic) + " -->\\n```json\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        List<String> found = new ArrayList<>();
        while (m.find()) {
            // the examples abbreviate ids as "3d0b8e2a-..."; still strings, still valid JSON
            found.add(m.group(1));
        }
        assertFalse(found.isEmpty(), "contract.md has no JSON example of " + topic);
        return found;
    }

    private static String example(String topic) throws Exception {
        return examples(topic).get(0);
    }

    private static void assertRoundTrip(String json, Class<?> type) throws Exception {
        assertRoundTrip(ContractJson.MAPPER.readTree(json), type);
    }

    private static void assertRoundTrip(JsonNode expected, Class<?> type) throws Exception {
        Object record = ContractJson.MAPPER.treeToValue(expected, type);
        // a mail record's example is its metadata header (wire format 2): everything but the content
        JsonNode actual = record instanceof MailRecords.Mail ? ContractJson.MAPPER.readTree(MailRecords.metadata(record))
                : ContractJson.MAPPER.readTree(ContractJson.write(record));
        assertSameJson("", expected, actual);
    }

    /** Every field of the example is written back with the same value (durations compared as durations). */
    private static void assertSameJson(String path, JsonNode expected, JsonNode actual) {
        assertNotNull(actual, path + " missing");
        if (expected.isObject()) {
            assertTrue(actual.isObject(), path + " is not an object: " + actual);
            Iterator<Map.Entry<String, JsonNode>> fields = expected.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                assertTrue(actual.has(f.getKey()), path + "." + f.getKey() + " is not written");
                assertSameJson(path + "." + f.getKey(), f.getValue(), actual.get(f.getKey()));
            }
            assertEquals(expected.size(), actual.size(), path + " writes other fields than the example: " + actual);
        } else if (expected.isArray()) {
            assertEquals(expected.size(), actual.size(), path);
            for (int i = 0; i < expected.size(); i++) {
                assertSameJson(path + "[" + i + "]", expected.get(i), actual.get(i));
            }
        } else if (expected.isTextual() && actual.isTextual() && !expected.equals(actual)) {
            String e = expected.asText();
            String a = actual.asText();
            if (e.startsWith("P") && a.startsWith("P")) {
                assertEquals(Duration.parse(e), Duration.parse(a), path);
            } else if (e.matches("\\d{4}-.*") && a.matches("\\d{4}-.*")) {
                assertEquals(Instant.parse(e), Instant.parse(a), path);
            } else {
                fail(path + ": expected " + e + " but was " + a);
            }
        } else if (expected.isNumber() && actual.isNumber()) {
            assertEquals(expected.asLong(), actual.asLong(), path);
        } else {
            assertEquals(expected, actual, path);
        }
    }

    @Test
    void submittedMailMatchesTheContract() throws Exception {
        assertRoundTrip(example("mail.submitted"), SubmittedMail.class);
    }

    @Test
    void outboundJobMatchesTheContract() throws Exception {
        assertRoundTrip(example("mail.outbound"), OutboundJob.class);
    }

    /** With the promised next attempt, and as an older record without it (the router then computes it). */
    @Test
    void deferredMailMatchesTheContract() throws Exception {
        String example = example("mail.deferred");
        assertRoundTrip(example, DeferredMail.class);
        assertEquals(Instant.parse("2026-11-28T10:15:01Z"), ContractJson.read(example, DeferredMail.class).nextAttemptAt());
        ObjectNode older = (ObjectNode) ContractJson.MAPPER.readTree(example);
        older.remove("nextAttemptAt");
        assertNull(ContractJson.MAPPER.treeToValue(older, DeferredMail.class).nextAttemptAt(), "an older record promises nothing");
    }

    @Test
    void policyChangeMatchesTheContract() throws Exception {
        assertRoundTrip(example("mail.policy-changes"), PolicyRule.class);
    }

    @Test
    void policyChangeWithWholeGroupsNullIsReadAsRuleWithoutThoseFields() {
        PolicyRule r = ContractJson.read("{\"rule\":\"fabrikam.com\",\"version\":3,\"tls\":{\"mode\":\"DISABLED\"},\"auth\":null,"
                + "\"route\":null,\"limits\":null,\"retry\":null,\"updatedAt\":\"2026-11-28T10:00:00Z\",\"updatedBy\":\"admin\"}", PolicyRule.class);
        assertEquals(TlsMode.DISABLED, r.tls().mode());
        assertEquals(PolicyRule.Retry.EMPTY, r.retry());
        assertNull(r.retry().intervals());
    }

    /**
     * A value this router does not know (a newer policy-service's TLS mode, a misspelt TLS version)
     * is refused as an unreadable record, which PolicyChangeConsumer logs and skips, keeping the
     * rule it had (never falling back to a maybe weaker default).
     */
    @Test
    void aPolicyChangeWithAValueThisRouterDoesNotKnowIsUnreadable() {
        for (String tls : new String[]{"{\"mode\":\"STRICT\"}", "{\"minVersion\":\"TLSv9\"}", "{\"minVersion\":\"TLS_1_2\"}",
                "{\"verify\":\"hostname\"}"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> ContractJson.read(
                    "{\"rule\":\"fabrikam.com\",\"version\":3,\"tls\":" + tls + "}", PolicyRule.class), tls);
            assertTrue(e.getMessage().startsWith("not a valid PolicyRule"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> ContractJson.read(
                "{\"rule\":\"fabrikam.com\",\"version\":3,\"auth\":{\"method\":\"CRAM-MD5\"}}", PolicyRule.class));
    }

    @Test
    void everyDeliveryEventExampleMatchesTheContractsRecord() throws Exception {
        for (String example : examples("mail.delivery-events")) {
            assertRoundTrip(example, DeliveryEvent.class);
        }
    }
}
