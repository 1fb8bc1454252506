package io.postway.router.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.postway.contract.event.DeliveryEvent;
import io.postway.contract.json.ContractJson;
import io.postway.contract.policy.PolicyRule;
import io.postway.contract.policy.TlsMode;
import io.postway.testkit.LocalInfra;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The router's records (and the contract's types it reads and writes) against the JSON examples of
 * deploy/docs/messages.md: reading an example and writing it back gives the same fields and values.
 * (Whether what the router really writes is valid is RecordsOnTheBrokerMatchTheContractTest's.)
 */
class WireFormatTest {

    private static String example(String heading) throws Exception {
        String doc = Files.readString(LocalInfra.repositoryRoot().resolve("deploy/docs/messages.md"));
        Matcher m = Pattern.compile("## `" + Pattern.quote(heading) + "`[^\\n]*\\n(?:(?!\\n## ).)*?```json\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertTrue(m.find(), "messages.md has no JSON example under `" + heading + "`");
        // the examples abbreviate ids as "3d0b8e2a-..."; still strings, still valid JSON
        return m.group(1);
    }

    private static void assertRoundTrip(String json, Class<?> type) throws Exception {
        assertRoundTrip(ContractJson.MAPPER.readTree(json), type);
    }

    private static void assertRoundTrip(JsonNode expected, Class<?> type) throws Exception {
        Object record = ContractJson.MAPPER.treeToValue(expected, type);
        JsonNode actual = ContractJson.MAPPER.valueToTree(record);
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
    void submittedMailMatchesMessagesMd() throws Exception {
        assertRoundTrip(example("mail.submitted"), SubmittedMail.class);
    }

    @Test
    void outboundJobMatchesMessagesMd() throws Exception {
        assertRoundTrip(example("mail.outbound"), OutboundJob.class);
    }

    /** messages.md's example predates nextAttemptAt: read as an older record, and with the field added. */
    @Test
    void deferredMailMatchesMessagesMd() throws Exception {
        String example = example("mail.deferred");
        assertNull(ContractJson.read(example, DeferredMail.class).nextAttemptAt(), "an older record promises nothing");
        ObjectNode withNextAttempt = (ObjectNode) ContractJson.MAPPER.readTree(example);
        withNextAttempt.put("nextAttemptAt", "2026-11-28T10:15:01Z");
        assertRoundTrip(withNextAttempt, DeferredMail.class);
        assertEquals(Instant.parse("2026-11-28T10:15:01Z"),
                ContractJson.MAPPER.treeToValue(withNextAttempt, DeferredMail.class).nextAttemptAt());
    }

    @Test
    void policyChangeMatchesMessagesMd() throws Exception {
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
    void deliveryEventMatchesMessagesMd() throws Exception {
        assertRoundTrip(example("mail.delivery-events"), DeliveryEvent.class);
    }
}
