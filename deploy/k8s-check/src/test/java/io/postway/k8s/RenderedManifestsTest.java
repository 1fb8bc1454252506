package io.postway.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every overlay renders, and every built-in object in it is exactly what the Kubernetes model defines. */
class RenderedManifestsTest {

    static List<String> overlays() {
        return Overlays.names();
    }

    @Test
    void theThreeInstallsExist() {
        assertTrue(Overlays.names().containsAll(List.of("dev", "prod", "prod-operators")), Overlays.names().toString());
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyBuiltInObjectParsesStrictlyIntoTheKubernetesModel(String overlay) {
        List<String> problems = new ArrayList<>();
        for (JsonNode o : Overlays.render(overlay)) {
            if (StrictModel.isBuiltIn(o)) {
                StrictModel.problems(o).forEach(p -> problems.add(o.path("kind").asText() + "/" + o.path("metadata").path("name").asText() + ": " + p));
            }
        }
        assertEquals(List.of(), problems, overlay);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void noSecretIsInTheApplySet(String overlay) {
        // a Secret here would overwrite the real keys on every re-apply: they are created once, outside
        assertEquals(List.of(), Overlays.ofKind(overlay, "Secret"), overlay);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everythingLivesInTheRestrictedPostwayNamespace(String overlay) {
        JsonNode ns = Overlays.ofKind(overlay, "Namespace").get(0);
        assertEquals("restricted", ns.path("metadata").path("labels").path("pod-security.kubernetes.io/enforce").asText());
        for (JsonNode o : Overlays.render(overlay)) {
            if (!o.path("kind").asText().equals("Namespace")) {
                assertEquals("postway", o.path("metadata").path("namespace").asText(), o.path("kind") + "/" + o.path("metadata").path("name"));
            }
        }
    }

    @Test
    void theStrictCheckFindsUnknownFieldsAndWrongTypes() {
        ObjectNode deployment = Overlays.ofKind("prod", "Deployment").get(0).deepCopy();
        ((ObjectNode) deployment.path("spec").path("template").path("spec").path("containers").get(0)).put("livenessProbes", "typo");
        ((ObjectNode) deployment.path("spec")).put("replicas", "many");
        List<String> problems = StrictModel.problems(deployment);
        assertFalse(problems.isEmpty());
        assertTrue(problems.get(0).contains("replicas") || problems.get(0).contains("many"), problems.toString());

        ObjectNode typo = Overlays.ofKind("prod", "Deployment").get(0).deepCopy();
        ((ObjectNode) typo.path("spec").path("template").path("spec").path("containers").get(0)).put("livenessProbes", "typo");
        assertEquals(List.of("unknown field(s) [livenessProbes] at .spec.template.spec.containers[0]"), StrictModel.problems(typo));

        ObjectNode unknownKind = Overlays.ofKind("prod", "Service").get(0).deepCopy();
        unknownKind.put("apiVersion", "v2");
        assertEquals(List.of("no model for v2/Service"), StrictModel.problems(unknownKind));
    }
}
