package io.postway.intake.infra;

import io.postway.intake.config.IntakeConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.sql.SQLException;

/**
 * Deletes Idempotency-Key rows older than {@code postway.intake.idempotency.ttl}: a reservation
 * only removes the expired row of the key it reserves, so keys never used again would stay forever.
 */
@ApplicationScoped
public class IdempotencyCleanup {

    private static final Logger LOG = Logger.getLogger(IdempotencyCleanup.class);

    @Inject
    IdempotencyRepository repository;

    @Inject
    IntakeConfig config;

    @Scheduled(identity = "idempotency-cleanup", every = "${postway.intake.idempotency.cleanup-every}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void onSchedule() {
        deleteExpired();
    }

    /** Deletes the expired rows now; returns how many (0 when the database could not be reached). */
    public int deleteExpired() {
        try {
            int n = repository.deleteExpired(config.idempotency().ttl());
            if (n > 0) {
                LOG.infof("deleted %d expired idempotency keys", n);
            }
            return n;
        } catch (SQLException e) {
            // the next run tries again; until then expired keys only take space (reserve() ignores them)
            LOG.warnf("could not delete expired idempotency keys: %s", e.getMessage());
            return 0;
        }
    }
}
