package io.postway.k8s;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reading containers of a rendered pod template. */
final class Pods {

    private Pods() {
    }

    /**
     * The container's environment as a service sees it: literal values, ConfigMap values looked
     * up in the same render, and {@code <secret>} / {@code <field>} for values known only in the cluster.
     */
    static Map<String, String> environment(String overlay, JsonNode container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode e : container.path("env")) {
            String name = e.path("name").asText();
            JsonNode from = e.path("valueFrom");
            if (e.has("value")) {
                env.put(name, e.path("value").asText());
            } else if (from.has("configMapKeyRef")) {
                JsonNode ref = from.path("configMapKeyRef");
                env.put(name, Overlays.ofKind(overlay, "ConfigMap").stream()
                        .filter(c -> c.path("metadata").path("name").asText().equals(ref.path("name").asText()))
                        .map(c -> c.path("data").path(ref.path("key").asText()).asText(null))
                        .findFirst().orElse(null));
            } else if (from.has("secretKeyRef")) {
                env.put(name, "<secret>");
            } else {
                env.put(name, "<field>");
            }
        }
        return env;
    }

    /** The container port number of the named port, or the number itself. */
    static int port(JsonNode container, JsonNode port) {
        if (port.isInt()) {
            return port.asInt();
        }
        for (JsonNode p : container.path("ports")) {
            if (p.path("name").asText().equals(port.asText())) {
                return p.path("containerPort").asInt();
            }
        }
        return -1;
    }
}
