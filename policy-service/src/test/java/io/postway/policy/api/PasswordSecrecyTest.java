package io.postway.policy.api;

import io.postway.policy.TestSupport;
import io.postway.contract.json.ContractJson;
import io.postway.contract.policy.AuthMethod;
import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.policy.PolicyResolver;
import io.postway.contract.policy.PolicyRule;
import io.postway.contract.secret.SecretCipher;
import io.postway.policy.infra.Transactions;
import io.postway.testkit.PostwayInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.postway.policy.TestSupport.admin;
import static io.postway.policy.TestSupport.domain;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(value = PostwayInfraResource.class, initArgs = @ResourceArg(name = "database", value = "postway_policy_test"))
class PasswordSecrecyTest {

    @Inject
    DataSource dataSource;
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;
    @Inject
    Transactions transactions;
    @ConfigProperty(name = "postway.policy.secret-keys")
    String secretKeys;

    final List<String> logLines = Collections.synchronizedList(new ArrayList<>());
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            String msg = r.getMessage();
            if (r.getParameters() != null) {
                msg = msg + " " + java.util.Arrays.toString(r.getParameters());
            }
            logLines.add(msg + (r.getThrown() == null ? "" : " " + r.getThrown()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLogs() {
        capture.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        Logger.getLogger("").removeHandler(capture);
    }

    @Test
    void thePasswordIsWriteOnlyEncryptedAtRestAndNeverInResponsesHistoryTopicOrLogs() throws Exception {
        String d = domain("secret");
        String password = "Pw-" + TestSupport.RUN + "-c0rrect-h0rse";
        List<String> seen = new ArrayList<>();
        try (TestSupport.TopicReader topic = new TestSupport.TopicReader(kafka)) {
            seen.add(admin().body("{\"auth\": {\"method\": \"LOGIN\", \"username\": \"relay\", \"password\": \"" + password + "\"}}")
                    .put("/v1/policies/" + d).then().statusCode(201)
                    .body("auth.password", nullValue()).body("auth.passwordSet", equalTo(true))
                    .extract().asString());
            // a mistake in the same body must not echo the password back either
            seen.add(admin().body("{\"auth\": {\"method\": \"LOGIN\", \"username\": \"relay\", \"password\": \"" + password
                    + "\", \"pasword\": \"" + password + "\"}}").put("/v1/policies/" + d).then().statusCode(400).extract().asString());
            // sent back as read (password null): the stored password stays
            seen.add(admin().body("{\"auth\": {\"method\": \"LOGIN\", \"username\": \"relay\", \"password\": null, \"passwordSet\": true},"
                    + " \"tls\": {\"mode\": \"OPPORTUNISTIC\"}}").put("/v1/policies/" + d).then().statusCode(200)
                    .body("auth.passwordSet", equalTo(true)).extract().asString());
            seen.add(admin().get("/v1/policies/" + d).then().statusCode(200).body("auth.passwordSet", equalTo(true)).extract().asString());
            seen.add(admin().get("/v1/policies").asString());
            seen.add(admin().get("/v1/effective-policy/" + d).then().statusCode(200)
                    .body("auth.passwordSet", equalTo(true)).body("auth.password", nullValue()).extract().asString());
            seen.add(admin().get("/internal/v1/published-policies").asString());
            String history = admin().get("/v1/policies/" + d + "/history").then().statusCode(200)
                    .body("[0].changes.find { it.field == 'auth.password' }.to", equalTo("set")).extract().asString();
            seen.add(history);
            seen.add(io.restassured.RestAssured.get("/q/openapi").asString());

            List<ConsumerRecord<String, String>> records = topic.await(d, rs -> rs.size() >= 2);
            for (ConsumerRecord<String, String> r : records) {
                seen.add(r.value());
                PolicyRule published = readRule(r.value());
                assertTrue(published.auth().passwordEncrypted().startsWith("v1:k2:"), "published only encrypted");
            }

            String stored = tableText(d);
            seen.add(stored);
            assertTrue(ruleJson(d).contains("\"passwordEncrypted\": \"v1:k2:"), ruleJson(d));

            SecretCipher cipher = SecretCipher.fromConfig(secretKeys);
            PolicyRule rule = readRule(ruleJson(d));
            assertEquals(password, cipher.decrypt(rule.auth().passwordEncrypted(), d).orElseThrow(),
                    "the stored value is the password, encrypted under the rule's name");
        }
        for (String text : seen) {
            assertFalse(text.contains(password), text);
        }
        synchronized (logLines) {
            assertFalse(logLines.isEmpty(), "the capture saw the service's log output");
            for (String line : logLines) {
                assertFalse(line.contains(password), line);
            }
        }
        admin().delete("/v1/policies/" + d).then().statusCode(204);
    }

    @Test
    void reSavingARuleReEncryptsItsPasswordUnderTheNewestKey() throws Exception {
        String d = domain("rotate");
        String oldKeyOnly = secretKeys.substring(secretKeys.indexOf(',') + 1);
        SecretCipher old = SecretCipher.fromConfig(oldKeyOnly);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        PolicyRule underOldKey = new PolicyRule(d, 1, null, new PolicyRule.Auth(AuthMethod.PLAIN, "relay", old.encrypt("rotate-me", d)),
                null, null, null, now, "admin");
        transactions.inTransaction(tables -> tables.insert(underOldKey));
        admin().body("{\"auth\": {\"method\": \"PLAIN\", \"username\": \"relay\"}}").put("/v1/policies/" + d)
                .then().statusCode(200).body("version", equalTo(2)).body("auth.passwordSet", equalTo(true));
        PolicyRule resaved = readRule(ruleJson(d));
        assertEquals("k2", SecretCipher.keyIdOf(resaved.auth().passwordEncrypted()).orElseThrow());
        assertEquals("rotate-me", SecretCipher.fromConfig(secretKeys).decrypt(resaved.auth().passwordEncrypted(), d).orElseThrow());
        admin().body("{\"auth\": {\"method\": \"PLAIN\", \"username\": \"another\"}}").put("/v1/policies/" + d)
                .then().statusCode(400).body("errors[0].field", equalTo("auth.password"));
        admin().delete("/v1/policies/" + d).then().statusCode(204);
    }

    /**
     * What delivery-service does with a password: the key configuration it is given (the same
     * POSTWAY_SECRET_KEYS) and the contract's {@link SecretCipher#open} with AAD = the rule of the
     * policy it received. The policy comes the way the router builds it: the published rules
     * resolved for the domain by the contract's resolver.
     */
    @Test
    void aPasswordSealedByAPutOpensAsDeliveryOpensItForItsRuleOnly() throws Exception {
        String d = domain("sealed");
        String password = "Open-" + TestSupport.RUN + "-s3same";
        String sealed;
        try (TestSupport.TopicReader topic = new TestSupport.TopicReader(kafka)) {
            admin().body("{\"auth\": {\"method\": \"PLAIN\", \"username\": \"relay\", \"password\": \"" + password + "\"}}")
                    .put("/v1/policies/" + d).then().statusCode(201);
            sealed = readRule(topic.await(d, rs -> !rs.isEmpty()).get(0).value()).auth().passwordEncrypted();
        }
        SecretCipher delivery = SecretCipher.fromConfig(secretKeys);
        assertEquals(password, delivery.open(sealed, d));

        PolicyRule[] published = ContractJson.read(admin().get("/internal/v1/published-policies").then().statusCode(200)
                .extract().asString(), PolicyRule[].class);
        Map<String, PolicyRule> rules = new java.util.HashMap<>();
        for (PolicyRule r : published) {
            rules.put(r.rule(), r);
        }
        EffectivePolicy policy = PolicyResolver.resolve(d, rules).orElseThrow().policy();
        assertEquals(d, policy.rule());
        assertEquals(password, delivery.open(policy.auth().passwordEncrypted(), policy.rule()));

        String other = domain("sealed-other");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> delivery.open(sealed, other));
        assertFalse(refused.getMessage().contains(password));
        assertThrows(IllegalArgumentException.class, () -> delivery.open(sealed, PolicyRule.DEFAULT));
        admin().delete("/v1/policies/" + d).then().statusCode(204);
    }

    private String ruleJson(String rule) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT body::text FROM policy_rule WHERE rule = ?")) {
            ps.setString(1, rule);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return rs.getString(1);
            }
        }
    }

    /** Every column of every row about the rule, as text: what someone reading the tables would see. */
    private String tableText(String rule) throws Exception {
        StringBuilder all = new StringBuilder();
        try (Connection c = dataSource.getConnection()) {
            for (String sql : List.of("SELECT t::text FROM policy_rule t WHERE rule = ?",
                    "SELECT t::text FROM policy_history t WHERE rule = ?",
                    "SELECT t::text FROM policy_outbox t WHERE rule = ?")) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, rule);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            all.append(rs.getString(1)).append('\n');
                        }
                    }
                }
            }
        }
        return all.toString();
    }

    private static PolicyRule readRule(String json) {
        return ContractJson.read(json, PolicyRule.class);
    }
}
