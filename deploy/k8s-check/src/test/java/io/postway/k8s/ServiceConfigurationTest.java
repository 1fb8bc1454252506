package io.postway.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each service's Deployment against that service's own configuration (its jar): every variable
 * it is given is one it reads, every variable its %prod needs is given, the probes ask its health
 * endpoints on its HTTP port, and its shutdown fits the grace period.
 */
class ServiceConfigurationTest {

    /** Read by the JVM itself (heap sizing, native heap trimming) or its C library (malloc arenas), not by the service's configuration. */
    private static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS", "MALLOC_ARENA_MAX");
    private static Map<String, ServiceConfig> services;

    @BeforeAll
    static void readServices() {
        services = ServiceConfig.all();
    }

    static List<String> overlays() {
        return Overlays.names();
    }

    @Test
    void theFourServicesAreFoundWithTheirConfigurationMappings() {
        assertEquals(Set.of("intake-service", "router-service", "policy-service", "delivery-service"), services.keySet());
        assertTrue(services.get("delivery-service").keys.contains("postway.delivery.helo-name"), services.get("delivery-service").keys.toString());
        assertTrue(services.get("intake-service").keys.contains("postway.intake.clients.*.key"), services.get("intake-service").keys.toString());
        // the check can fail: a variable no service reads is refused
        assertEquals(Optional.empty(), services.get("delivery-service").reads("POSTWAY_DELIVERY_WORKERZ"));
        assertEquals(Optional.empty(), services.get("delivery-service").reads("KAFKA_SASL_JAAS_CONFIGG"));
        assertTrue(services.get("delivery-service").reads("KAFKA_SASL_JAAS_CONFIG").isPresent());
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyVariableMapsToARealSettingAndEveryRequiredOneIsSet(String overlay) {
        List<String> problems = new ArrayList<>();
        for (Overlays.Workload w : Overlays.workloads(overlay)) {
            if (!w.isService()) {
                continue;
            }
            ServiceConfig config = services.get(w.name());
            JsonNode container = w.podSpec().path("containers").get(0);
            Map<String, String> env = Pods.environment(overlay, container);
            for (String name : env.keySet()) {
                if (!JVM_VARIABLES.contains(name) && config.reads(name).isEmpty()) {
                    problems.add(w.name() + ": " + name + " is no setting of the service");
                }
            }
            for (String required : config.requiredInProd()) {
                if (!env.containsKey(required)) {
                    problems.add(w.name() + ": %prod needs " + required + " and the Deployment does not set it");
                }
            }
        }
        assertEquals(List.of(), problems, overlay);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void probesAskTheHealthEndpointsOnTheServicesHttpPort(String overlay) {
        for (Overlays.Workload w : Overlays.workloads(overlay)) {
            if (!w.isService()) {
                continue;
            }
            JsonNode container = w.podSpec().path("containers").get(0);
            Map<String, String> env = Pods.environment(overlay, container);
            int httpPort = Integer.parseInt(services.get(w.name()).prodValue("quarkus.http.port", env).orElseThrow());
            for (var probe : Map.of("startupProbe", "/q/health/started", "readinessProbe", "/q/health/ready",
                    "livenessProbe", "/q/health/live").entrySet()) {
                JsonNode get = container.path(probe.getKey()).path("httpGet");
                assertEquals(probe.getValue(), get.path("path").asText(), w.where(overlay) + " " + probe.getKey());
                assertEquals(httpPort, Pods.port(container, get.path("port")), w.where(overlay) + " " + probe.getKey() + " port");
            }
            assertEquals("/q/metrics", w.template().path("metadata").path("annotations").path("prometheus.io/path").asText());
            assertEquals(String.valueOf(httpPort), w.template().path("metadata").path("annotations").path("prometheus.io/port").asText());
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void shutdownFitsTheGracePeriod(String overlay) {
        for (Overlays.Workload w : Overlays.workloads(overlay)) {
            if (!w.isService()) {
                continue;
            }
            ServiceConfig config = services.get(w.name());
            Map<String, String> env = Pods.environment(overlay, w.podSpec().path("containers").get(0));
            assertEquals("true", config.properties.getProperty("quarkus.shutdown.delay-enabled"), w.name());
            Duration needed = ServiceConfig.duration(config.prodValue("quarkus.shutdown.delay", env).orElseThrow())
                    .plus(ServiceConfig.duration(config.prodValue("quarkus.shutdown.timeout", env).orElseThrow()));
            if (w.name().equals("delivery-service")) {
                needed = needed.plus(ServiceConfig.duration(config.prodValue("postway.delivery.drain-timeout", env).orElseThrow()));
            }
            long grace = w.podSpec().path("terminationGracePeriodSeconds").asLong();
            assertTrue(needed.toSeconds() < grace, w.where(overlay) + ": shutdown needs up to " + needed + ", grace period " + grace + " s");
            assertEquals("true", config.properties.getProperty("%prod.quarkus.log.console.json.enabled"), w.name() + " logs JSON in prod");
        }
    }
}
