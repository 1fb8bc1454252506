package io.postway.policy.domain;

import com.fasterxml.jackson.databind.JsonNode;
import io.postway.contract.Topics;
import io.postway.contract.json.ContractJson;
import io.postway.contract.policy.PolicyRule;
import io.postway.contract.policy.TlsMode;
import io.postway.policy.config.PolicyConfig;
import io.postway.testkit.LocalInfra;
import io.smallrye.config.WithDefault;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code mail.policy-changes} record policy-service writes is the contract's (deploy/docs/contract.md). */
class PolicyChangeRecordContractTest {

    /**
     * The example under deploy/docs/contract.md's {@code mail.policy-changes} heading (marked
     * {@code <!-- schema: mail.policy-changes -->}): a domain rule sets only what it overrides.
     */
    static String example() throws Exception {
        String doc = Files.readString(LocalInfra.repositoryRoot().resolve("deploy/docs/contract.md"));
        Matcher m = Pattern.compile("<!-- schema: " + Pattern.quote(Topics.POLICY_CHANGES) + " -->\\n```json\\n(.*?)```",
                Pattern.DOTALL).matcher(doc);
        assertTrue(m.find(), "contract.md has no JSON example of " + Topics.POLICY_CHANGES);
        return m.group(1);
    }

    @Test
    void readsAndWritesTheDocumentedExampleUnchanged() throws Exception {
        String example = example();
        PolicyRule rule = ContractJson.read(example, PolicyRule.class);
        assertEquals("fabrikam.com", rule.rule());
        assertEquals(3, rule.version());
        assertEquals(TlsMode.DISABLED, rule.tls().mode());
        JsonNode expected = ContractJson.MAPPER.readTree(example);
        JsonNode written = ContractJson.MAPPER.readTree(ContractJson.write(rule));
        assertEquals(expected, written);
    }

    @Test
    void writesTheBuiltInDefaultWithTheContractsValueForms() throws Exception {
        JsonNode d = ContractJson.MAPPER.readTree(ContractJson.write(BuiltInDefault.create(null, Instant.parse("2026-11-28T10:00:00Z"), "system")));
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
        assertEquals("mail.policy-changes", Topics.POLICY_CHANGES);
        assertEquals(Topics.POLICY_CHANGES,
                PolicyConfig.Topic.class.getMethod("name").getAnnotation(WithDefault.class).value());
        for (String line : Files.readAllLines(Path.of("src/main/resources/application.properties"))) {
            if (line.contains("postway.policy.topic.name")) {
                assertTrue(line.startsWith("%test."), "only tests use another topic: " + line);
            }
        }
    }
}
