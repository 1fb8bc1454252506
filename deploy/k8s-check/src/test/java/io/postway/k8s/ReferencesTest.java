package io.postway.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every name an object uses resolves: ConfigMap keys in the render, Secret keys among those made
 * by an operator in the render or documented in deploy/k8s/README.md (and, for dev, created by
 * create-secrets), selectors among the pods' labels, ports among the containers' ports.
 */
class ReferencesTest {

    private static final Pattern DOC_ROW = Pattern.compile("^\\| `([a-z0-9-]+)` \\| ([^|]+) \\|");
    private static final Pattern SCRIPT_KEY = Pattern.compile("\"([a-z.-]+)=");
    private static final Pattern SCRIPT_CREATE = Pattern.compile("^create \"?([a-z0-9$-]+)\"? \\S+ (.*)$");

    static List<String> overlays() {
        return Overlays.names();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyConfigMapAndSecretKeyAContainerReadsExists(String overlay) throws IOException {
        Map<String, Set<String>> configMaps = new HashMap<>();
        for (JsonNode c : Overlays.ofKind(overlay, "ConfigMap")) {
            Set<String> keys = new HashSet<>();
            c.path("data").fieldNames().forEachRemaining(keys::add);
            configMaps.put(c.path("metadata").path("name").asText(), keys);
        }
        Map<String, Set<String>> secrets = secretsAvailable(overlay);
        List<String> missing = new ArrayList<>();
        for (Overlays.Workload w : Overlays.workloads(overlay)) {
            for (JsonNode c : w.podSpec().path("containers")) {
                for (JsonNode e : c.path("env")) {
                    check(missing, w.where(overlay), configMaps, e.path("valueFrom").path("configMapKeyRef"), "ConfigMap");
                    check(missing, w.where(overlay), secrets, e.path("valueFrom").path("secretKeyRef"), "Secret");
                }
            }
            for (JsonNode v : w.podSpec().path("volumes")) {
                for (JsonNode item : v.path("secret").path("items")) {
                    check(missing, w.where(overlay), secrets, JsonNodeFactory.instance.objectNode()
                            .put("name", v.path("secret").path("secretName").asText()).put("key", item.path("key").asText()), "Secret");
                }
                if (v.has("configMap") && !configMaps.containsKey(v.path("configMap").path("name").asText())) {
                    missing.add(w.where(overlay) + ": ConfigMap " + v.path("configMap").path("name").asText());
                }
            }
        }
        for (JsonNode t : Overlays.ofKind(overlay, "TriggerAuthentication")) {
            for (JsonNode ref : t.path("spec").path("secretTargetRef")) {
                check(missing, overlay + " TriggerAuthentication", secrets, ref, "Secret");
            }
        }
        assertEquals(List.of(), missing, overlay);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everySelectorMatchesPodsAndEveryPortExists(String overlay) {
        List<String> problems = new ArrayList<>();
        List<Overlays.Workload> workloads = Overlays.workloads(overlay);
        for (JsonNode s : Overlays.ofKind(overlay, "Service")) {
            String name = "Service/" + s.path("metadata").path("name").asText();
            List<Overlays.Workload> pods = workloads.stream().filter(w -> Overlays.matches(s.path("spec").path("selector"), w.labels())).toList();
            if (pods.isEmpty()) {
                problems.add(name + " selects no pod");
            }
            for (JsonNode port : s.path("spec").path("ports")) {
                for (Overlays.Workload w : pods) {
                    if (Pods.port(w.podSpec().path("containers").get(0), port.path("targetPort")) < 0) {
                        problems.add(name + " targets port " + port.path("targetPort") + " that " + w.name() + " does not have");
                    }
                }
            }
        }
        for (JsonNode pdb : Overlays.ofKind(overlay, "PodDisruptionBudget")) {
            long n = workloads.stream().filter(w -> Overlays.matches(pdb.path("spec").path("selector").path("matchLabels"), w.labels())).count();
            if (n != 1) {
                problems.add("PodDisruptionBudget/" + pdb.path("metadata").path("name").asText() + " selects " + n + " workloads");
            }
        }
        for (Overlays.Workload w : workloads) {
            for (JsonNode t : w.podSpec().path("topologySpreadConstraints")) {
                if (!Overlays.matches(t.path("labelSelector").path("matchLabels"), w.labels())) {
                    problems.add(w.name() + ": topology spread does not select its own pods");
                }
            }
            if (!w.kind().equals("Job") && !Overlays.matches(w.object().path("spec").path("selector").path("matchLabels"), w.labels())) {
                problems.add(w.name() + ": selector does not match its template");
            }
            Set<String> volumes = new HashSet<>();
            for (JsonNode v : w.podSpec().path("volumes")) {
                if (!volumes.add(v.path("name").asText())) {
                    problems.add(w.name() + ": volume " + v.path("name").asText() + " twice");
                }
            }
            for (JsonNode c : w.podSpec().path("containers")) {
                for (JsonNode m : c.path("volumeMounts")) {
                    if (!volumes.contains(m.path("name").asText())
                            && w.object().path("spec").path("volumeClaimTemplates").findValuesAsText("name").stream().noneMatch(m.path("name").asText()::equals)) {
                        problems.add(w.name() + ": mount of unknown volume " + m.path("name").asText());
                    }
                }
            }
        }
        for (String kind : List.of("HorizontalPodAutoscaler", "ScaledObject")) {
            for (JsonNode a : Overlays.ofKind(overlay, kind)) {
                String target = a.path("spec").path("scaleTargetRef").path("name").asText();
                if (workloads.stream().noneMatch(w -> w.kind().equals("Deployment") && w.name().equals(target))) {
                    problems.add(kind + " targets missing Deployment " + target);
                }
            }
        }
        for (JsonNode m : Overlays.ofKind(overlay, "ServiceMonitor")) {
            List<JsonNode> services = Overlays.ofKind(overlay, "Service").stream()
                    .filter(s -> Overlays.matches(m.path("spec").path("selector").path("matchLabels"), s.path("metadata").path("labels"))).toList();
            if (services.size() != 1) {
                problems.add("ServiceMonitor/" + m.path("metadata").path("name").asText() + " selects " + services.size() + " Services");
            }
            for (JsonNode e : m.path("spec").path("endpoints")) {
                for (JsonNode s : services) {
                    if (!s.path("spec").path("ports").findValuesAsText("name").contains(e.path("port").asText())) {
                        problems.add("ServiceMonitor/" + m.path("metadata").path("name").asText() + ": no port " + e.path("port").asText());
                    }
                }
            }
        }
        for (JsonNode np : Overlays.ofKind(overlay, "NetworkPolicy")) {
            JsonNode selector = np.path("spec").path("podSelector");
            if (selector.size() > 0 && workloads.stream().noneMatch(w -> selects(selector, w.labels()))
                    && !np.path("metadata").path("name").asText().equals("cloudnative-pg")) {
                problems.add("NetworkPolicy/" + np.path("metadata").path("name").asText() + " selects no pod");
            }
        }
        assertEquals(List.of(), problems, overlay);
    }

    private static boolean selects(JsonNode selector, JsonNode labels) {
        if (!Overlays.matches(selector.path("matchLabels"), labels)) {
            return false;
        }
        for (JsonNode e : selector.path("matchExpressions")) {
            List<String> values = new ArrayList<>();
            e.path("values").forEach(v -> values.add(v.asText()));
            boolean in = values.contains(labels.path(e.path("key").asText()).asText(null));
            if (e.path("operator").asText().equals("In") != in) {
                return false;
            }
        }
        return true;
    }

    private static void check(List<String> missing, String where, Map<String, Set<String>> available, JsonNode ref, String kind) {
        if (ref.isMissingNode()) {
            return;
        }
        String name = ref.path("name").asText();
        String key = ref.path("key").asText();
        if (!available.getOrDefault(name, Set.of()).contains(key)) {
            missing.add(where + ": " + kind + " " + name + " key " + key);
        }
    }

    /**
     * The Secrets an overlay's pods may rely on: those its operators make from objects in the
     * render (a KafkaUser's credentials, a CloudNativePG Cluster's CA), and those documented in
     * deploy/k8s/README.md; for dev only what create-secrets makes, since nothing else makes them there.
     */
    static Map<String, Set<String>> secretsAvailable(String overlay) throws IOException {
        Map<String, Set<String>> secrets = new HashMap<>();
        if (overlay.equals("dev")) {
            List<String> script = Files.readAllLines(Overlays.K8S.resolve("overlays/dev/create-secrets"));
            // the services of the script's own "for svc in ...; do" loop (postway-pg-$svc)
            List<String> services = script.stream().map(String::trim).filter(l -> l.matches("for svc in [a-z ]+; do"))
                    .map(l -> List.of(l.substring("for svc in ".length(), l.length() - "; do".length()).trim().split(" +")))
                    .findFirst().orElse(List.of());
            for (String line : script) {
                Matcher m = SCRIPT_CREATE.matcher(line.trim());
                if (m.matches()) {
                    Set<String> keys = new HashSet<>();
                    Matcher kv = SCRIPT_KEY.matcher(m.group(2));
                    while (kv.find()) {
                        keys.add(kv.group(1));
                    }
                    if (m.group(1).contains("$svc")) {
                        for (String svc : services) {
                            secrets.put(m.group(1).replace("$svc", svc), keys);
                        }
                    } else {
                        secrets.put(m.group(1), keys);
                    }
                }
            }
            Map<String, Set<String>> documented = documentedSecrets();
            secrets.keySet().forEach(name -> assertEquals(documented.get(name), secrets.get(name), "README documents the keys of " + name));
            return secrets;
        }
        for (JsonNode u : Overlays.ofKind(overlay, "KafkaUser")) {
            secrets.put(u.path("metadata").path("name").asText(), Set.of("password", "sasl.jaas.config"));
        }
        for (JsonNode c : Overlays.ofKind(overlay, "Cluster")) {
            secrets.put(c.path("metadata").path("name").asText() + "-ca", Set.of("ca.crt", "ca.key"));
        }
        secrets.putAll(documentedSecrets());
        return secrets;
    }

    private static Map<String, Set<String>> documentedSecrets() throws IOException {
        Map<String, Set<String>> secrets = new HashMap<>();
        for (String line : Files.readAllLines(Overlays.K8S.resolve("README.md"))) {
            Matcher m = DOC_ROW.matcher(line);
            if (m.find()) {
                Set<String> keys = new HashSet<>();
                Matcher k = Pattern.compile("`([^`]+)`").matcher(m.group(2));
                while (k.find()) {
                    keys.add(k.group(1));
                }
                secrets.put(m.group(1), keys);
            }
        }
        return secrets;
    }
}
