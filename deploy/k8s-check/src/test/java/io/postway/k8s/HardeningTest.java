package io.postway.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every pod meets Pod Security "restricted" (the namespace enforces it), gets no API token and no
 * service-link variables, has memory requests and limits, and names its image by version; the
 * services also run on a read-only root with an emptyDir /tmp and all three probes.
 */
class HardeningTest {

    static List<String> overlays() {
        return Overlays.names();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyPodIsRestricted(String overlay) {
        List<String> problems = new ArrayList<>();
        for (Overlays.Workload w : Overlays.workloads(overlay)) {
            JsonNode pod = w.podSpec();
            String at = w.where(overlay);
            expect(problems, at, "runAsNonRoot", pod.path("securityContext").path("runAsNonRoot").asBoolean());
            expect(problems, at, "seccomp RuntimeDefault", pod.path("securityContext").path("seccompProfile").path("type").asText().equals("RuntimeDefault"));
            expect(problems, at, "no service-account token", pod.has("automountServiceAccountToken") && !pod.path("automountServiceAccountToken").asBoolean());
            expect(problems, at, "no service links", pod.has("enableServiceLinks") && !pod.path("enableServiceLinks").asBoolean());
            expect(problems, at, "no host namespaces", !pod.path("hostNetwork").asBoolean() && !pod.path("hostPID").asBoolean() && !pod.path("hostIPC").asBoolean());
            for (JsonNode c : pod.path("containers")) {
                JsonNode sc = c.path("securityContext");
                String ca = at + " container " + c.path("name").asText();
                expect(problems, ca, "allowPrivilegeEscalation false", sc.has("allowPrivilegeEscalation") && !sc.path("allowPrivilegeEscalation").asBoolean());
                expect(problems, ca, "drops ALL capabilities", sc.path("capabilities").path("drop").toString().contains("\"ALL\""));
                expect(problems, ca, "adds no capability", sc.path("capabilities").path("add").isEmpty());
                expect(problems, ca, "not privileged", !sc.path("privileged").asBoolean());
                expect(problems, ca, "memory request and limit", c.path("resources").path("requests").has("memory") && c.path("resources").path("limits").has("memory"));
                String image = c.path("image").asText();
                expect(problems, ca, "image by version tag (" + image + ")", image.matches(".+:v?[0-9][^:/]*$") && !image.endsWith(":latest"));
            }
            if (w.isService()) {
                JsonNode c = pod.path("containers").get(0);
                expect(problems, at, "read-only root", c.path("securityContext").path("readOnlyRootFilesystem").asBoolean());
                boolean tmp = c.path("volumeMounts").findValuesAsText("mountPath").contains("/tmp");
                expect(problems, at, "emptyDir /tmp", tmp && pod.path("volumes").toString().contains("\"emptyDir\""));
                for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                    expect(problems, at, probe, c.has(probe));
                }
            }
        }
        assertEquals(List.of(), problems, overlay);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void onlyTheIntakeIsOpenToAllAndDeliveryMaySendMail(String overlay) {
        List<String> open = new ArrayList<>();
        boolean smtp = false;
        for (JsonNode np : Overlays.ofKind(overlay, "NetworkPolicy")) {
            for (JsonNode rule : np.path("spec").path("ingress")) {
                if (!rule.has("from")) {
                    open.add(np.path("metadata").path("name").asText());
                }
            }
            for (JsonNode rule : np.path("spec").path("egress")) {
                smtp |= np.path("spec").path("podSelector").path("matchLabels").path("app.kubernetes.io/name").asText().equals("delivery-service")
                        && rule.path("ports").toString().contains("\"port\":25");
            }
        }
        assertEquals(List.of("intake-from-anywhere"), open, overlay + ": policies open to every source");
        assertEquals("default-deny", Overlays.ofKind(overlay, "NetworkPolicy").stream()
                .filter(np -> np.path("spec").path("podSelector").isEmpty() && np.path("spec").path("policyTypes").size() == 2)
                .map(np -> np.path("metadata").path("name").asText()).findFirst().orElse(""));
        assertEquals(true, smtp, overlay + ": delivery may reach port 25");
    }

    private static void expect(List<String> problems, String where, String what, boolean ok) {
        if (!ok) {
            problems.add(where + ": " + what);
        }
    }
}
