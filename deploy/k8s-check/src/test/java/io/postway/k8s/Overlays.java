package io.postway.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Every overlay under {@code deploy/k8s/overlays}, rendered once per JVM with
 * {@code kubectl kustomize} exactly as {@code kubectl apply -k} would send it.
 */
final class Overlays {

    static final Path ROOT = Path.of(System.getProperty("postway.root", "../..")).toAbsolutePath().normalize();
    static final Path K8S = ROOT.resolve("deploy/k8s");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, List<JsonNode>> RENDERED = new ConcurrentHashMap<>();

    private Overlays() {
    }

    static List<String> names() {
        try (Stream<Path> dirs = Files.list(K8S.resolve("overlays"))) {
            return dirs.filter(d -> Files.exists(d.resolve("kustomization.yaml"))).map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The objects of one overlay, in kustomize's order. */
    static List<JsonNode> render(String overlay) {
        return RENDERED.computeIfAbsent(overlay, Overlays::kustomize);
    }

    static List<JsonNode> ofKind(String overlay, String kind) {
        return render(overlay).stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    /** Pod templates of the workloads: Deployments, StatefulSets, Jobs. */
    static List<Workload> workloads(String overlay) {
        return render(overlay).stream()
                .filter(o -> List.of("Deployment", "StatefulSet", "Job").contains(o.path("kind").asText()))
                .map(o -> new Workload(o.path("kind").asText(), o.path("metadata").path("name").asText(), o))
                .toList();
    }

    record Workload(String kind, String name, JsonNode object) {
        JsonNode template() {
            return object.path("spec").path("template");
        }

        JsonNode podSpec() {
            return template().path("spec");
        }

        JsonNode labels() {
            return template().path("metadata").path("labels");
        }

        /** Postway's own services (the rest is dev infrastructure: Kafka, PostgreSQL, catcher, topics Job). */
        boolean isService() {
            return name.endsWith("-service") && kind.equals("Deployment");
        }

        String where(String overlay) {
            return overlay + " " + kind + "/" + name;
        }
    }

    /** Whether every pair of the selector is among the labels. */
    static boolean matches(JsonNode matchLabels, JsonNode labels) {
        var it = matchLabels.fields();
        while (it.hasNext()) {
            var e = it.next();
            if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }

    private static List<JsonNode> kustomize(String overlay) {
        try {
            Process p = new ProcessBuilder("kubectl", "kustomize", K8S.resolve("overlays").resolve(overlay).toString())
                    .redirectErrorStream(false).start();
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new AssertionError("kubectl kustomize " + overlay + " failed: " + err);
            }
            List<JsonNode> docs = new ArrayList<>();
            try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(out)) {
                while (it.hasNext()) {
                    JsonNode doc = it.next();
                    if (doc != null && !doc.isNull()) {
                        docs.add(doc);
                    }
                }
            }
            return docs;
        } catch (IOException e) {
            throw new AssertionError("kubectl (with kustomize components, 1.21 or newer) must be on the PATH: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
