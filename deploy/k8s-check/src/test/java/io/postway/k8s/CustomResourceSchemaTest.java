package io.postway.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Strimzi, KEDA, CloudNativePG and Prometheus Operator objects against their CRD schemas,
 * with unknown fields refused ({@code crd-check.mjs}; the schemas come from the npm packages of
 * package-lock.json).
 */
class CustomResourceSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyCustomResourceOfEveryOverlayMatchesItsCrd() throws Exception {
        ArrayNode items = JSON.createArrayNode();
        Set<String> kinds = new java.util.TreeSet<>();
        for (String overlay : Overlays.names()) {
            for (JsonNode o : Overlays.render(overlay)) {
                if (!StrictModel.isBuiltIn(o)) {
                    items.addObject().put("where", overlay + " " + o.path("kind").asText() + "/" + o.path("metadata").path("name").asText())
                            .set("resource", o);
                    kinds.add(o.path("kind").asText());
                }
            }
        }
        assertEquals(Set.of("Cluster", "Database", "KafkaTopic", "KafkaUser", "ScaledObject", "ServiceMonitor", "TriggerAuthentication"), kinds);
        assertEquals(List.of(), check(items));
    }

    @Test
    void theCheckFindsUnknownFieldsWrongTypesAndUnknownKinds() throws Exception {
        ArrayNode items = JSON.createArrayNode();
        ObjectNode topic = Overlays.ofKind("prod", "KafkaTopic").get(0).deepCopy();
        ((ObjectNode) topic.path("spec")).put("partition", 3);
        items.addObject().put("where", "typo").set("resource", topic);
        ObjectNode user = Overlays.ofKind("prod", "KafkaUser").get(0).deepCopy();
        ((ObjectNode) user.path("spec").path("authentication")).put("type", "scram-sha-999");
        items.addObject().put("where", "enum").set("resource", user);
        ObjectNode other = topic.deepCopy().put("kind", "KafkaTopicz");
        items.addObject().put("where", "kind").set("resource", other);

        List<String> problems = check(items);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("typo:") && p.contains("'\"partition\"' does not exist")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("enum: schema:") && p.contains("authentication/type")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.equals("kind: no CRD schema known for kafka.strimzi.io/v1beta2/KafkaTopicz")), problems.toString());
    }

    private static List<String> check(ArrayNode items) throws IOException, InterruptedException {
        Path input = Files.createTempFile("crds", ".json");
        try {
            JSON.writeValue(input.toFile(), items);
            Path module = Overlays.ROOT.resolve("deploy/k8s-check");
            Process p = new ProcessBuilder("node", module.resolve("crd-check.mjs").toString(), input.toString())
                    .directory(module.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), "crd-check.mjs failed: " + out);
            List<String> problems = new ArrayList<>();
            for (JsonNode problem : JSON.readTree(out)) {
                problems.add(problem.path("where").asText() + ": " + problem.path("problem").asText());
            }
            return problems;
        } finally {
            Files.deleteIfExists(input);
        }
    }
}
