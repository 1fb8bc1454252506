package io.postway.router.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.postway.router.domain.PolicyRule;
import io.postway.testkit.LocalInfra;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The router's record copies against the JSON examples of deploy/docs/messages.md and the
 * contract's delivery event: reading an example and writing it back gives the same fields and values.
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
        JsonNode expected = Json.MAPPER.readTree(json);
        Object record = Json.MAPPER.treeToValue(expected, type);
        JsonNode actual = Json.MAPPER.valueToTree(record);
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

    @Test
    void deferredMailMatchesMessagesMd() throws Exception {
        assertRoundTrip(example("mail.deferred"), DeferredMail.class);
    }

    @Test
    void policyChangeMatchesMessagesMd() throws Exception {
        assertRoundTrip(example("mail.policy-changes"), PolicyRule.class);
    }

    @Test
    void policyChangeWithWholeGroupsNullIsReadAsRuleWithoutThoseFields() {
        PolicyRule r = Json.read("{\"rule\":\"fabrikam.com\",\"version\":3,\"tls\":{\"mode\":\"DISABLED\"},\"auth\":null,"
                + "\"route\":null,\"limits\":null,\"retry\":null,\"updatedAt\":\"2026-11-28T10:00:00Z\",\"updatedBy\":\"admin\"}", PolicyRule.class);
        assertEquals("DISABLED", r.tls().mode());
        assertEquals(null, r.retry());
    }

    @Test
    void deliveryEventMatchesTheContract() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/contract/delivery-event.json")) {
            assertRoundTrip(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), DeliveryEvent.class);
        }
    }
}
