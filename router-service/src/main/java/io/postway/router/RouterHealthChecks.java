package io.postway.router;

import io.postway.router.infra.PolicyCache;
import io.postway.router.messaging.KafkaLoop;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: the policy cache is filled and knows {@code default}, and the consumers hold their
 * partitions. (The database and the broker connection have Quarkus' own checks.) Liveness: the
 * consumer threads still run.
 */
@ApplicationScoped
public class RouterHealthChecks {

    @Inject
    RouterService service;

    @Produces
    @Readiness
    HealthCheck policyCache() {
        return () -> {
            PolicyCache cache = service.policies();
            HealthCheckResponseBuilder b = HealthCheckResponse.named("router policy cache");
            if (cache == null) {
                return b.down().withData("state", "NOT_STARTED").build();
            }
            PolicyCache.State state = cache.state();
            b.status(state == PolicyCache.State.READY)
                    .withData("state", state.name())
                    .withData("rules", cache.snapshot().size())
                    .withData("source", cache.lastSource())
                    .withData("topicReadToEnd", service.policyChanges().caughtUp());
            if (cache.lastChange() != null) {
                b.withData("lastChange", cache.lastChange().toString());
            }
            if (cache.lastFallbackError() != null) {
                b.withData("policyServiceError", cache.lastFallbackError());
            }
            return b.build();
        };
    }

    @Produces
    @Readiness
    HealthCheck consumersReady() {
        return () -> consumers("router Kafka consumers", true);
    }

    @Produces
    @Liveness
    HealthCheck consumersAlive() {
        return () -> consumers("router Kafka consumer threads", false);
    }

    private HealthCheckResponse consumers(String name, boolean needAssignment) {
        HealthCheckResponseBuilder b = HealthCheckResponse.named(name);
        if (!service.routing()) {
            // still filling the policy cache: alive, not ready
            return b.status(!needAssignment).withData("state", "WAITING_FOR_POLICIES").build();
        }
        boolean up = true;
        for (KafkaLoop loop : new KafkaLoop[] {service.submittedConsumer(), service.deferredConsumer()}) {
            boolean ok = loop.isRunning() && (!needAssignment || loop.isAssigned());
            up &= ok;
            b.withData(loop.topic(), ok ? "UP" : (loop.isRunning() ? "NOT_ASSIGNED" : "STOPPED"));
            if (loop.lastError() != null) {
                b.withData(loop.topic() + ".lastError", loop.lastError());
            }
        }
        return b.status(up).build();
    }
}
