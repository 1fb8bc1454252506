package io.postway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.postway.testkit.ContractSchemas;
import io.postway.testkit.LocalInfra;
import io.postway.testkit.TopicRecords;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

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

import static org.awaitility.Awaitility.await;

/**
 * The packaged stack ({@code deploy/local/stack up}) and the Postfix test peers
 * ({@code deploy/peers/peers start}), started once for all end-to-end tests of this JVM, plus one
 * reader of {@code mail.delivery-events} that collects the events of the messages the tests sent.
 */
final class StackFixture {

    static final String ADMIN = "Bearer " + System.getenv().getOrDefault("POSTWAY_ADMIN_KEY", "local-admin-key");
    static final String CLIENT = "Bearer " + System.getenv().getOrDefault("POSTWAY_CLIENT_KEY", "local-client-key");
    static final String INTAKE = "http://127.0.0.1:" + System.getenv().getOrDefault("POSTWAY_INTAKE_PORT", "8080");
    static final String POLICY = "http://127.0.0.1:" + System.getenv().getOrDefault("POSTWAY_POLICY_PORT", "8081");
    static final String ROUTER = "http://127.0.0.1:" + System.getenv().getOrDefault("POSTWAY_ROUTER_PORT", "8082");
    private static final ObjectMapper JSON = new ObjectMapper();

    final Map<String, String> peers;
    /** Where each topic partition ended when the fixture started: what the tests' stack wrote comes after. */
    private final Map<TopicPartition, Long> startOffsets = new HashMap<>();
    private final Path root;
    private final KafkaConsumer<String, String> events;
    private final List<JsonNode> seen = new ArrayList<>();
    private static StackFixture shared;

    /** The one fixture of this JVM; the first call starts the peers and the stack. */
    static synchronized StackFixture shared() throws Exception {
        if (shared == null) {
            shared = new StackFixture();
            Runtime.getRuntime().addShutdownHook(new Thread(shared.events::close));
        }
        return shared;
    }

    private StackFixture() throws Exception {
        root = LocalInfra.repositoryRoot();
        run("deploy/peers/peers", "start");
        run("deploy/peers/peers", "tlsrpt-start");
        peers = LocalInfra.parseAssignments(List.of(run("deploy/peers/peers", "env").split("\n")));
        run("deploy/local/stack", "up");
        for (String topic : ContractSchemas.TOPICS) {
            for (ConsumerRecord<String, byte[]> r : TopicRecords.readAll(LocalInfra.get().kafkaBootstrap, topic)) {
                startOffsets.merge(new TopicPartition(r.topic(), r.partition()), r.offset() + 1, Math::max);
            }
        }
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

    /** Every record of {@code topic} written since this fixture started (older runs' records are not this build's). */
    List<ConsumerRecord<String, byte[]>> recordsSinceStart(String topic) {
        return TopicRecords.readAll(LocalInfra.get().kafkaBootstrap, topic).stream()
                .filter(r -> r.offset() >= startOffsets.getOrDefault(new TopicPartition(r.topic(), r.partition()), 0L))
                .toList();
    }

    String peerPort(String name) {
        return peers.get("PEERS_PORT_" + name);
    }

    /** The first event of this type for the message, waiting behind whatever backlog the stack has. */
    JsonNode awaitEvent(String messageId, String type) {
        return await().atMost(Duration.ofSeconds(180)).until(() -> findEvent(messageId, type), Optional::isPresent).get();
    }

    /** Reads what arrived for up to the given time and answers whether such an event is among it. */
    Optional<JsonNode> findEvent(String messageId, String type, Duration within) throws IOException {
        long deadline = System.nanoTime() + within.toNanos();
        Optional<JsonNode> found = findEvent(messageId, type);
        while (found.isEmpty() && System.nanoTime() < deadline) {
            found = findEvent(messageId, type);
        }
        return found;
    }

    private Optional<JsonNode> findEvent(String messageId, String type) throws IOException {
        for (ConsumerRecord<String, String> r : events.poll(Duration.ofMillis(300))) {
            JsonNode event = JSON.readTree(r.value());
            if (event.path("data").has("messageId")) {
                seen.add(event);
            }
        }
        return seen.stream().filter(e -> messageId.equals(e.path("data").path("messageId").asText()))
                .filter(e -> type.equals(e.path("type").asText())).findFirst();
    }

    /** The Postfix peers' Maildir file holding the marker, once it arrived. */
    String awaitInMaildir(String marker) {
        Path found = await().atMost(Duration.ofSeconds(60)).until(() -> findInMaildir(marker), Optional::isPresent).get();
        try {
            return Files.readString(found, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Optional<Path> findInMaildir(String marker) throws IOException {
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

    private String run(String script, String arg) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve(script).toString(), arg)
                .directory(root.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
        // policy-service's TLS-RPT look-ups ask the tlsrpt peers' DNS (the *.rpt.test TXT records)
        pb.environment().putIfAbsent("POSTWAY_TLSRPT_DNS_SERVER", "127.0.0.1:5357");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(script + " " + arg + " failed with exit " + p.exitValue() + ": " + out);
        }
        return out;
    }
}
