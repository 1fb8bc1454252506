package io.postway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.postway.testkit.LocalInfra;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The walking skeleton through a broker that only speaks SASL_PLAINTEXT with SCRAM-SHA-512 and
 * authorizes with ACLs: the local stack with {@code POSTWAY_KAFKA_SASL=scram} (its own run
 * directory and ports, so it runs beside the default stack), where every service logs in as its
 * own user and holds exactly the ACLs of its production {@code KafkaUser}
 * ({@code deploy/k8s/overlays/prod/kafka-users.yaml}). The services get the settings as in
 * Kubernetes, as {@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_MECHANISM} and
 * {@code KAFKA_SASL_JAAS_CONFIG}. Beyond the mail itself it checks delivery's done-marker and a
 * domain probe (policy asks, delivery answers), so every topic and group a service uses is covered.
 */
class ScramKafkaIT {

    private static final String ADMIN = "Bearer local-admin-key";
    private static final String CLIENT = "Bearer local-client-key";
    private static final int KAFKA_PORT = 19791;
    private static final String INTAKE = "http://127.0.0.1:19780";
    private static final String POLICY = "http://127.0.0.1:19781";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path root;
    private static Path run;
    private static Map<String, String> peers;

    @BeforeAll
    static void startScramStack() throws Exception {
        root = LocalInfra.repositoryRoot();
        run = root.resolve("deploy/e2e/target/scram-stack");
        stack("down");
        deleteTree(run);
        run("deploy/peers/peers", Map.of(), "start");
        peers = LocalInfra.parseAssignments(List.of(run("deploy/peers/peers", Map.of(), "env").split("\n")));
        stack("up");
    }

    @AfterAll
    static void stopScramStack() throws Exception {
        stack("down");
    }

    @Test
    void deliversWithEveryServiceAuthenticatedAndAuthorizedByItsOwnAcls() throws Exception {
        String domain = "scram-" + UUID.randomUUID().toString().substring(0, 8) + ".peer.test";
        String marker = UUID.randomUUID().toString();
        given().baseUri(POLICY).header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("tls", Map.of("mode", "REQUIRED", "verify", "NONE", "minVersion", "TLSv1.2"),
                        "route", Map.of("smartHost", "127.0.0.1:" + peers.get("PEERS_PORT_STARTTLS"))))
                .put("/v1/policies/" + domain)
                .then().statusCode(anyOf(equalTo(200), equalTo(201)));
        String id = given().baseUri(INTAKE).header("Authorization", CLIENT).contentType(ContentType.JSON)
                .body(Map.of("from", "it@contoso.test", "to", List.of("user@" + domain),
                        "subject", "SCRAM " + marker, "text", "through SASL " + marker))
                .post("/v1/messages").then().statusCode(202).extract().path("id");

        JsonNode delivered = awaitEvent(id, "postway.delivery.delivered");
        assertEquals(domain, delivered.path("data").path("policy").path("rule").asText(), delivered.toString());
        assertTrue(awaitInMaildir(marker).contains("Subject: SCRAM " + marker));
        // intake's status view: its own consumer group under its own user
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().baseUri(INTAKE).header("Authorization", CLIENT)
                .get("/v1/messages/" + id).then().statusCode(200).body("recipients[0].status", equalTo("DELIVERED")));

        // delivery's done-marker of the job: written (and read back on assignment) under delivery's own ACLs
        JsonNode doneMarker = awaitRecord("mail.outbound-handled", r -> id.equals(r.path("messageId").asText()));
        assertEquals(domain, doneMarker.path("domain").asText(), doneMarker.toString());
        // a domain probe: policy asks on mail.probe-requests, delivery (group delivery-probe) answers on
        // mail.probe-results, policy reads the answer in its own group, each under its own ACLs
        String probeId = given().baseUri(POLICY).header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("domain", domain)).post("/v1/probes").then().statusCode(202).extract().path("id");
        String status = await().atMost(Duration.ofSeconds(90)).until(() -> given().baseUri(POLICY).header("Authorization", ADMIN)
                .get("/v1/probes/" + probeId).then().statusCode(200).extract().<String>path("status"), s -> !"RUNNING".equals(s));
        assertEquals("DONE", status, "probe " + probeId);

        // the ACLs are enforced: delivery's user may not read what the router reads
        try (KafkaConsumer<String, String> c = consumer("postway-delivery", "delivery")) {
            c.subscribe(List.of("mail.submitted"));
            assertThrows(TopicAuthorizationException.class, () -> c.poll(Duration.ofSeconds(10)));
        }
        // and no service logged an authentication or authorization failure
        for (String svc : List.of("intake", "router", "policy", "delivery")) {
            String log = Files.readString(run.resolve("logs/" + svc + ".log"));
            assertTrue(!log.contains("AuthenticationException") && !log.contains("AuthorizationException"), svc + " log: " + log);
        }
    }

    private static JsonNode awaitEvent(String messageId, String type) throws IOException {
        return awaitRecord("mail.delivery-events",
                e -> messageId.equals(e.path("data").path("messageId").asText()) && type.equals(e.path("type").asText()));
    }

    /** The first JSON record of the topic (read as the admin) that matches. */
    private static JsonNode awaitRecord(String topic, Predicate<JsonNode> matching) throws IOException {
        try (KafkaConsumer<String, String> records = consumer("admin", "scram-it-" + UUID.randomUUID())) {
            records.subscribe(List.of(topic));
            return await().atMost(Duration.ofSeconds(180)).until(() -> {
                for (ConsumerRecord<String, String> r : records.poll(Duration.ofMillis(500))) {
                    JsonNode e = JSON.readTree(r.value());
                    if (matching.test(e)) {
                        return Optional.of(e);
                    }
                }
                return Optional.<JsonNode>empty();
            }, Optional::isPresent).get();
        }
    }

    private static KafkaConsumer<String, String> consumer(String user, String group) throws IOException {
        String password = Files.readString(run.resolve("kafka-users/" + user)).trim();
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + KAFKA_PORT,
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512",
                SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + user + "\" password=\"" + password + "\";",
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
    }

    private static String awaitInMaildir(String marker) {
        Path maildir = Path.of(peers.get("PEERS_MAILDIR"));
        Path found = await().atMost(Duration.ofSeconds(60)).until(() -> {
            try (Stream<Path> files = Files.walk(maildir)) {
                return files.filter(Files::isRegularFile).filter(f -> read(f).contains(marker)).findFirst();
            }
        }, Optional::isPresent).get();
        return read(found);
    }

    private static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    /** The stack on this test's own ports and run directory, with the SCRAM broker and embedded PostgreSQL. */
    private static void stack(String command) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("POSTWAY_RUN_DIR", run.toString());
        env.put("POSTWAY_KAFKA_SASL", "scram");
        env.put("POSTWAY_KAFKA_PORT", String.valueOf(KAFKA_PORT));
        env.put("POSTWAY_KAFKA_CONTROLLER_PORT", "19792");
        env.put("POSTWAY_PG_HOST", "embedded");
        env.put("POSTWAY_PG_PORT", "19795");
        env.put("POSTWAY_CATCHER_PORT", "19725");
        env.put("POSTWAY_INTAKE_PORT", "19780");
        env.put("POSTWAY_POLICY_PORT", "19781");
        env.put("POSTWAY_ROUTER_PORT", "19782");
        env.put("POSTWAY_DELIVERY_PORT", "19783");
        env.put("POSTWAY_ADMIN_KEY", "local-admin-key");
        env.put("POSTWAY_CLIENT_KEY", "local-client-key");
        run("deploy/local/stack", env, command);
    }

    private static String run(String script, Map<String, String> env, String arg) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve(script).toString(), arg)
                .directory(root.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().keySet().removeIf(k -> k.startsWith("POSTWAY_") && !k.equals("POSTWAY_PG_USER") && !k.equals("POSTWAY_PG_PASSWORD"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(script + " " + arg + " failed with exit " + p.exitValue() + ": " + out);
        }
        return out;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
