package io.postway.intake.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Instant;

/**
 * Readiness of the status view: DOWN from the first failed write of a batch until a write
 * succeeds again (the projector keeps retrying meanwhile), UP otherwise — also before the first
 * batch, since an idle projection can work.
 */
@Readiness
@ApplicationScoped
public class StatusProjectionHealth implements HealthCheck {

    private record Failing(Instant since, String error) {
    }

    private volatile Failing failing;

    void written() {
        failing = null;
    }

    void failing(Exception e) {
        Failing f = failing;
        failing = new Failing(f == null ? Instant.now() : f.since(), String.valueOf(e.getMessage()));
    }

    @Override
    public HealthCheckResponse call() {
        Failing f = failing;
        if (f == null) {
            return HealthCheckResponse.up("status-projection");
        }
        return HealthCheckResponse.named("status-projection").down()
                .withData("failingSince", f.since().toString())
                .withData("lastError", f.error())
                .build();
    }
}
