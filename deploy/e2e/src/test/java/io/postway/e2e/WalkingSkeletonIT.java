package io.postway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.postway.testkit.LocalInfra;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The walking skeleton, end to end through the packaged services: a message POSTed to the intake
 * crosses the real Kafka broker, is routed under a policy stored in the real PostgreSQL, is
 * delivered over STARTTLS to a real Postfix, and a {@code postway.delivery.delivered} event appears
 * on {@code mail.delivery-events}.
 */
class WalkingSkeletonIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "Bearer " + System.getenv().getOrDefault("POSTWAY_ADMIN_KEY", "local-admin-key");
    private static final String CLIENT = "Bearer " + System.getenv().getOrDefault("POSTWAY_CLIENT_KEY", "local-client-key");
    private static Path root;
    private static Map<String, String> peers;
    private static KafkaConsumer<String, String> events;

    @BeforeAll
    static void startStackAndPeers() throws Exception {
        root = LocalInfra.repositoryRoot();
        run("deploy/peers/peers", "start");
        peers = env();
        run("deploy/local/stack", "up");
        events = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalInfra.get().kafkaBootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "e2e-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
        events.subscribe(List.of("mail.delivery-events"));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            events.poll(Duration.ofMillis(200));
            return !events.assignment().isEmpty();
        });
    }

    @AfterAll
    static void closeConsumer() {
        if (events != null) {
            events.close();
        }
    }

    @Test
    void deliversOverStartTlsToPostfixAndEmitsDeliveredEvent() throws Exception {
        String domain = "e2e-" + UUID.randomUUID().toString().substring(0, 8) + ".peer.test";
        String marker = UUID.randomUUID().toString();

        given().baseUri("http://127.0.0.1:8081").header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of(
                        "tls", Map.of("mode", "REQUIRED", "verify", "NONE", "minVersion", "TLSv1.2"),
                        "route", Map.of("smartHost", "127.0.0.1:" + peers.getOrDefault("PEERS_PORT_STARTTLS", "10025"))))
                .put("/v1/policies/" + domain)
                .then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(200), equalTo(201)));

        String id = given().baseUri("http://127.0.0.1:8080").header("Authorization", CLIENT).contentType(ContentType.JSON)
                .body(Map.of(
                        "from", "Contoso IT <it@contoso.test>",
                        "to", List.of("user@" + domain),
                        "subject", "Password reset " + marker,
                        "text", "Your reset code is " + marker))
                .post("/v1/messages")
                .then().statusCode(202).body("status", equalTo("ACCEPTED"))
                .extract().path("id");

        JsonNode delivered = awaitEvent(id, "postway.delivery.delivered");
        JsonNode data = delivered.get("data");
        assertEquals("user@" + domain, delivered.get("subject").asText());
        assertEquals(domain, data.get("policy").get("rule").asText());
        assertTrue(data.get("tls").get("used").asBoolean(), "delivered over TLS: " + data);
        assertTrue(data.get("tls").get("protocol").asText().startsWith("TLSv1."), "protocol reported: " + data);

        Path received = await().atMost(Duration.ofSeconds(30)).until(() -> findInMaildir(marker), Optional::isPresent).get();
        String message = Files.readString(received, StandardCharsets.ISO_8859_1);
        assertTrue(message.contains("Subject: Password reset " + marker), message);
        assertTrue(message.contains("ESMTPS"), "Postfix received it over TLS: " + message);

        given().baseUri("http://127.0.0.1:8080").header("Authorization", CLIENT)
                .get("/v1/messages/" + id)
                .then().statusCode(200).body("recipients[0].status", equalTo("DELIVERED"));
    }

    private static JsonNode awaitEvent(String messageId, String type) {
        List<JsonNode> seen = new ArrayList<>();
        return await().atMost(Duration.ofSeconds(180)).until(() -> {
            for (ConsumerRecord<String, String> r : events.poll(Duration.ofMillis(300))) {
                JsonNode event = JSON.readTree(r.value());
                if (messageId.equals(event.path("data").path("messageId").asText())) {
                    seen.add(event);
                }
            }
            return seen.stream().filter(e -> type.equals(e.path("type").asText())).findFirst();
        }, Optional::isPresent).get();
    }

    private static Optional<Path> findInMaildir(String marker) throws IOException {
        Path maildir = Path.of(peers.get("PEERS_MAILDIR"));
        if (!Files.isDirectory(maildir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.walk(maildir)) {
            return files.filter(Files::isRegularFile).filter(f -> {
                try {
                    return Files.readString(f, StandardCharsets.ISO_8859_1).contains(marker);
                } catch (IOException e) {
                    return false;
                }
            }).findFirst();
        }
    }

    private static Map<String, String> env() throws Exception {
        Map<String, String> values = new HashMap<>();
        for (String line : run("deploy/peers/peers", "env").split("\n")) {
            String l = line.replaceFirst("^export\\s+", "");
            int eq = l.indexOf('=');
            if (eq > 0) {
                values.put(l.substring(0, eq), l.substring(eq + 1).replaceAll("^[\"']|[\"']$", ""));
            }
        }
        return values;
    }

    private static String run(String script, String arg) throws Exception {
        Process p = new ProcessBuilder("bash", root.resolve(script).toString(), arg)
                .directory(root.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(script + " " + arg + " failed with exit " + p.exitValue() + ": " + out);
        }
        return out;
    }
}
