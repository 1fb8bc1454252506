package io.postway.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.postway.contract.Topics;
import io.postway.contract.event.DeliveryEvents;
import io.postway.contract.event.EventType;
import io.postway.contract.json.ContractJson;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The documents' examples are the contract too: every fenced JSON block in deploy/docs is JSON, and
 * every block marked {@code <!-- schema: <topic> -->} is a valid value of that topic.
 */
class DocumentExamplesTest {

    static final Path DOCS = LocalInfra.repositoryRoot().resolve("deploy/docs");
    static final Pattern BLOCK = Pattern.compile("(?:<!-- schema: ([a-z.-]+) -->\\n)?```json\\n(.*?)\\n```", Pattern.DOTALL);

    record Example(Path file, int line, String topic, String json) {
        String name() {
            return DOCS.relativize(file) + ":" + line + (topic == null ? "" : " (" + topic + ")");
        }
    }

    static List<Example> examples() throws IOException {
        List<Example> examples = new ArrayList<>();
        try (Stream<Path> files = Files.list(DOCS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".md")).sorted().toList()) {
                String text = Files.readString(file);
                Matcher m = BLOCK.matcher(text);
                while (m.find()) {
                    int line = (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
                    examples.add(new Example(file, line, m.group(1), m.group(2)));
                }
            }
        }
        return examples;
    }

    @TestFactory
    Stream<DynamicTest> everyExampleIsJsonAndEveryMarkedOneIsValid() throws IOException {
        return examples().stream().map(ex -> DynamicTest.dynamicTest(ex.name(), () -> {
            JsonNode json = ContractJson.MAPPER.readTree(ex.json()); // a syntax error fails here
            if (ex.topic() != null) {
                ContractSchemas.assertValid(ex.topic(), ex.json());
            }
            if (Topics.DELIVERY_EVENTS.equals(ex.topic())) {
                JsonNode data = json.get("data");
                EventType type = EventType.fromType(json.get("type").asText()).orElseThrow();
                assertEquals(DeliveryEvents.eventId(data.get("messageId").asText(), data.get("recipient").asText(), type,
                        data.get("attempt").asInt()), json.get("id").asText(), "the example's id is the deterministic one");
            }
        }));
    }

    @Test
    void everyTopicHasAnExample() throws IOException {
        Set<String> covered = new TreeSet<>();
        examples().forEach(ex -> {
            if (ex.topic() != null) {
                covered.add(ex.topic());
            }
        });
        assertEquals(new TreeSet<>(ContractSchemas.TOPICS), covered);
        assertTrue(examples().stream().noneMatch(ex -> ex.topic() != null && !ContractSchemas.TOPICS.contains(ex.topic())));
    }
}
