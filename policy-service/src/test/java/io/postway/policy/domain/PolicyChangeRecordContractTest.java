package io.postway.policy.domain;

import com.fasterxml.jackson.databind.JsonNode;
import io.postway.policy.infra.PolicyJson;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our copy of the {@code mail.policy-changes} record must read and write the example of messages.md. */
class PolicyChangeRecordContractTest {

    static String policyChangesExample() throws Exception {
        Path md = Path.of("..", "deploy", "docs", "messages.md");
        String text = Files.readString(md);
        int section = text.indexOf("## `mail.policy-changes`");
        int start = text.indexOf("```json", section) + "```json".length();
        int end = text.indexOf("```", start);
        return text.substring(start, end);
    }

    @Test
    void readsAndWritesTheMessagesMdExampleUnchanged() throws Exception {
        String example = policyChangesExample();
        PolicyRule rule = PolicyJson.MAPPER.readValue(example, PolicyRule.class);
        assertEquals("fabrikam.com", rule.rule());
        assertEquals(3, rule.version());
        assertEquals(TlsMode.DISABLED, rule.tls().mode());
        JsonNode expected = PolicyJson.MAPPER.readTree(example);
        JsonNode written = PolicyJson.MAPPER.readTree(PolicyJson.write(rule));
        assertEquals(expected, written);
    }

    @Test
    void writesTheBuiltInDefaultWithTheContractsValueForms() throws Exception {
        JsonNode d = PolicyJson.MAPPER.readTree(PolicyJson.write(BuiltInDefault.create(null, java.time.Instant.parse("2026-11-28T10:00:00Z"), "system")));
        assertEquals("REQUIRED", d.at("/tls/mode").asText());
        assertEquals("TLSv1.2", d.at("/tls/minVersion").asText());
        assertEquals("[\"PT15M\",\"PT30M\",\"PT1H\",\"PT4H\"]", d.at("/retry/intervals").toString());
        assertEquals("P2D", d.at("/retry/expireAfter").asText());
        assertEquals("2026-11-28T10:00:00Z", d.at("/updatedAt").asText());
        assertTrue(d.at("/auth").has("passwordEncrypted"));
        assertTrue(d.at("/route/smartHost").isNull());
    }

    @Test
    void outsideTestsChangesGoToTheContractsTopic() throws Exception {
        assertEquals("mail.policy-changes", io.postway.policy.messaging.PolicyTopics.POLICY_CHANGES);
        for (String line : Files.readAllLines(Path.of("src/main/resources/application.properties"))) {
            if (line.contains("postway.policy.topic.name")) {
                assertTrue(line.startsWith("%test."), "only tests use another topic: " + line);
            }
        }
    }
}
