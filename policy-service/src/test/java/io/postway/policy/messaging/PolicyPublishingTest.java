package io.postway.policy.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.postway.policy.TestSupport;
import io.postway.contract.json.ContractJson;
import io.postway.contract.policy.PolicyRule;
import io.postway.contract.policy.TlsMode;
import io.postway.policy.domain.PolicyDiff;
import io.postway.policy.infra.Transactions;
import io.postway.contract.Topics;
import io.postway.testkit.ContractSchemas;
import io.postway.testkit.PostwayInfraResource;
import io.postway.testkit.TopicRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.postway.policy.TestSupport.admin;
import static io.postway.policy.TestSupport.domain;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(value = PostwayInfraResource.class, initArgs = @ResourceArg(name = "database", value = "postway_policy_test"))
class PolicyPublishingTest {

    @Inject
    DataSource dataSource;
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;
    @Inject
    Transactions transactions;
    @Inject
    PolicyChangePublisher publisher;
    @Inject
    io.postway.policy.PolicyService service;

    @Test
    void everyCommittedChangeReachesTheCompactedTopicInOrderAndADeleteIsATombstone() throws Exception {
        String d = domain("pub");
        try (TestSupport.TopicReader topic = new TestSupport.TopicReader(kafka)) {
            admin().body("{\"tls\": {\"mode\": \"DISABLED\"}}").put("/v1/policies/" + d).then().statusCode(201);
            admin().body("{\"tls\": {\"mode\": \"OPPORTUNISTIC\"}}").put("/v1/policies/" + d).then().statusCode(200);
            admin().body("{\"tls\": {\"mode\": \"OPPORTUNISTIC\"}, \"limits\": {\"maxConnections\": 5}}").put("/v1/policies/" + d)
                    .then().statusCode(200);
            admin().delete("/v1/policies/" + d).then().statusCode(204);

            List<ConsumerRecord<String, String>> records = topic.await(d, rs -> rs.size() >= 4);
            assertEquals(4, records.size());
            JsonNode first = ContractJson.MAPPER.readTree(records.get(0).value());
            assertEquals(d, first.get("rule").asText());
            assertEquals(1, first.get("version").asInt());
            assertEquals("DISABLED", first.at("/tls/mode").asText());
            assertTrue(first.at("/tls/minVersion").isNull(), "a domain rule publishes only what it sets");
            assertTrue(first.at("/auth").has("passwordEncrypted"));
            assertEquals(List.of(1, 2, 3), records.subList(0, 3).stream()
                    .map(r -> readRule(r.value()).version()).map(Long::intValue).toList());
            assertNull(records.get(3).value(), "deletion is a tombstone");
            for (ConsumerRecord<String, String> r : records.subList(0, 3)) {
                assertEquals(ContractJson.write(readRule(r.value())), r.value(), "the value is the contract's JSON of PolicyRule");
            }
        }
        try (Admin admin = Admin.create(publisher.adminProperties())) {
            ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, TestSupport.topicName());
            String policy = admin.describeConfigs(List.of(res)).all().get(10, TimeUnit.SECONDS).get(res).get("cleanup.policy").value();
            assertTrue(policy.contains("compact"), policy);
        }
    }

    /**
     * The process dies after committing a change and before sending it: the rule and its outbox row
     * are in the database, nothing is on the topic. The publisher's next run (the first thing it does
     * on start) sends it, and only then marks it sent.
     */
    @Test
    void aChangeCommittedButNeverPublishedIsPublishedByTheNextPublisherRun() throws Exception {
        String d = domain("crash");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        PolicyRule rule = new PolicyRule(d, 1, new PolicyRule.Tls(TlsMode.DISABLED, null, null, null, null, null),
                null, null, null, null, now, "admin");
        publisher.suspend();
        try (TestSupport.TopicReader topic = new TestSupport.TopicReader(kafka)) {
            // exactly what PolicyService commits for a new rule, without the nudge that follows the commit
            transactions.inTransaction(tables -> {
                tables.insert(rule);
                tables.addHistory(d, 1, "CREATED", PolicyDiff.between(null, rule), now, "admin");
                tables.queueChange(rule);
                return null;
            });
            assertEquals(List.of(false), sentFlags(d), "committed, not yet published");
            assertEquals(List.of(), topic.drain(d, Duration.ofSeconds(2)), "nothing reaches the topic before the publisher runs");

            int sent = publisher.publishPending();

            assertTrue(sent >= 1);
            List<ConsumerRecord<String, String>> records = topic.await(d, rs -> !rs.isEmpty());
            assertEquals(d, readRule(records.get(0).value()).rule());
            assertEquals(List.of(true), sentFlags(d));
            assertEquals(0, publisher.publishPending(), "a second run finds nothing left to send");
        } finally {
            publisher.resume();
        }
        admin().get("/internal/v1/published-policies").then().statusCode(200).body("rule", hasItem(d));
        admin().delete("/v1/policies/" + d).then().statusCode(204);
    }

    @Test
    void aResyncOnStartRepublishesEveryCurrentRule() throws Exception {
        String d = domain("resync");
        admin().body("{\"limits\": {\"maxConnections\": 7}}").put("/v1/policies/" + d).then().statusCode(201);
        publisher.publishPending();
        try (TestSupport.TopicReader topic = new TestSupport.TopicReader(kafka)) {
            service.resync();
            publisher.publishPending();
            assertEquals(1, readRule(topic.await(d, rs -> !rs.isEmpty()).get(0).value()).version());
            assertEquals("default", readRule(topic.await("default", rs -> !rs.isEmpty()).get(0).value()).rule());
        }
        admin().delete("/v1/policies/" + d).then().statusCode(204);
    }

    @Test
    void thePublishedPoliciesEndpointReturnsTheTopicFormOfEveryRule() {
        String d = domain("fallback-read");
        admin().body("{\"route\": {\"smartHost\": \"relay.example.net:2525\"}}").put("/v1/policies/" + d).then().statusCode(201);
        var json = admin().get("/internal/v1/published-policies").then().statusCode(200).extract().jsonPath();
        assertTrue(json.getList("rule").contains("default"));
        int i = json.getList("rule").indexOf(d);
        assertEquals("relay.example.net:2525", json.getString("[" + i + "].route.smartHost"));
        assertTrue(json.getMap("[" + i + "].auth").containsKey("passwordEncrypted"));
        assertNull(json.get("[" + i + "].tls.mode"));
        String published = admin().get("/internal/v1/published-policies").asString();
        PolicyRule[] rules = ContractJson.read(published, PolicyRule[].class);
        assertEquals(ContractJson.write(rules), published, "the contract's JSON of PolicyRule, as on the topic");
        admin().delete("/v1/policies/" + d).then().statusCode(204);
    }

    /**
     * What policy-service really put on the broker, read back as any consumer reads it: every value
     * valid against the contract's {@code mail.policy-changes} schema and keyed by its rule — a full
     * default, a domain rule with an encrypted password, one with a few fields — and a delete as a
     * tombstone under the rule's key.
     */
    @Test
    void everyPublishedRecordFollowsTheTopicsSchemaAndKey() throws Exception {
        String withPassword = domain("schema-login");
        String partial = domain("schema-partial");
        String deleted = domain("schema-deleted");
        try (TestSupport.TopicReader topic = new TestSupport.TopicReader(kafka)) {
            admin().body("{\"tls\": {\"mode\": \"OPPORTUNISTIC\", \"fallbackToPlaintext\": true},"
                    + " \"auth\": {\"method\": \"LOGIN\", \"username\": \"relay\", \"password\": \"schema-" + TestSupport.RUN + "\"}}")
                    .put("/v1/policies/" + withPassword).then().statusCode(201);
            admin().body("{\"route\": {\"smartHost\": \"relay.example.net:587\"}, \"retry\": {\"intervals\": [\"PT5M\", \"P1D\"]}}")
                    .put("/v1/policies/" + partial).then().statusCode(201);
            admin().body("{\"limits\": {\"maxConnections\": 2}}").put("/v1/policies/" + deleted).then().statusCode(201);
            admin().delete("/v1/policies/" + deleted).then().statusCode(204);
            service.resync(); // and the current default, as every start publishes it
            publisher.publishPending();
            topic.await(deleted, rs -> rs.size() >= 2);
            topic.await("default", rs -> !rs.isEmpty());
        }
        Set<String> keys = Set.of(withPassword, partial, deleted, "default");
        List<ConsumerRecord<String, byte[]>> published = TopicRecords.readAll(kafka, TestSupport.topicName(), Duration.ofSeconds(30))
                .stream().filter(r -> keys.contains(r.key())).toList();
        for (ConsumerRecord<String, byte[]> r : published) {
            ContractSchemas.assertValidRecord(Topics.POLICY_CHANGES, r);
        }
        assertEquals(keys, published.stream().map(ConsumerRecord::key).collect(Collectors.toSet()));
        ConsumerRecord<String, byte[]> login = published.stream().filter(r -> r.key().equals(withPassword)).findFirst().orElseThrow();
        assertTrue(readRule(new String(login.value(), StandardCharsets.UTF_8)).auth().passwordEncrypted().startsWith("v1:k2:"));
        List<ConsumerRecord<String, byte[]>> ofDeleted = published.stream().filter(r -> r.key().equals(deleted)).toList();
        assertEquals(2, ofDeleted.size());
        assertNull(ofDeleted.get(1).value(), "the delete is a tombstone under the rule's key");
        admin().delete("/v1/policies/" + withPassword).then().statusCode(204);
        admin().delete("/v1/policies/" + partial).then().statusCode(204);
    }

    /** kafka.security.protocol, kafka.sasl.*, kafka.ssl.*: what reaches Quarkus's broker settings reaches every client. */
    @Test
    void everyKafkaClientStartsFromTheBrokerSettings() {
        assertEquals("PLAINTEXT", kafka.get("security.protocol"), "the test profile sets kafka.security.protocol");
        for (Map<String, Object> client : List.of(publisher.producerProperties(), publisher.adminProperties())) {
            kafka.forEach((key, value) -> {
                if (!key.equals("client.id")) {
                    assertEquals(value, client.get(key), key);
                }
            });
        }
    }

    private List<Boolean> sentFlags(String rule) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT sent_at IS NOT NULL FROM policy_outbox WHERE rule = ? ORDER BY id")) {
            ps.setString(1, rule);
            try (ResultSet rs = ps.executeQuery()) {
                List<Boolean> flags = new java.util.ArrayList<>();
                while (rs.next()) {
                    flags.add(rs.getBoolean(1));
                }
                return flags;
            }
        }
    }

    private static PolicyRule readRule(String json) {
        return ContractJson.read(json, PolicyRule.class);
    }
}
