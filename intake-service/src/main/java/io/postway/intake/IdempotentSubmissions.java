package io.postway.intake;

import io.postway.intake.config.IntakeConfig;
import io.postway.intake.domain.Accepted;
import io.postway.intake.domain.IdempotencyStoreUnavailable;
import io.postway.intake.domain.SubmissionRefused;
import io.postway.intake.infra.IdempotencyRepository;
import io.postway.runtime.MessageLog;
import io.postway.web.DatabaseUnreachable;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;

/**
 * The Idempotency-Key protocol: per client, a key runs its submission at most once within
 * {@code postway.intake.idempotency.ttl}. The first request reserves the key; once its message is
 * accepted the key keeps it, and a repeat gets that message back without anything being sent
 * again; a repeat while the first still runs is refused (409); a submission that is refused or not
 * acknowledged releases the key, so the client may retry with it. Without a key the submission
 * simply runs (and PostgreSQL is not asked).
 */
@ApplicationScoped
public class IdempotentSubmissions {

    private static final Logger LOG = Logger.getLogger(IdempotentSubmissions.class);
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

    /** What a request gets: the accepted message, and whether it was accepted by an earlier request with the key. */
    public record Outcome(Accepted accepted, boolean replayed) {
    }

    /** One submission, run at most once per key: the stage completes once the broker has acknowledged it. */
    @FunctionalInterface
    public interface Submission {
        CompletableFuture<Accepted> run();
    }

    @Inject
    IdempotencyRepository repository;

    @Inject
    IntakeConfig config;

    @Inject
    DatabaseUnreachable databaseUnreachable;

    /**
     * @param key the client's Idempotency-Key, or null
     * @throws SubmissionRefused an invalid request for a malformed key, in progress while another request holds it, or the submission's own refusal
     * @throws IdempotencyStoreUnavailable the database cannot be reached (503); a statement it refused stays a failure (500)
     * @return completes once the submission is accepted; fails as the submission does (NotAcknowledged: 503)
     */
    public CompletableFuture<Outcome> submit(String client, String key, Submission submission) throws IdempotencyStoreUnavailable {
        if (key == null) {
            return submission.run().thenApply(accepted -> new Outcome(accepted, false));
        }
        if (!KEY.matcher(key).matches()) {
            throw SubmissionRefused.invalidRequest("Idempotency-Key", "1 to 255 printable ASCII characters");
        }
        IdempotencyRepository.Reservation reservation;
        try {
            reservation = repository.reserve(client, key, config.idempotency().ttl());
        } catch (SQLException e) {
            if (databaseUnreachable.unavailable(e).isPresent()) {
                LOG.errorf("idempotency store unavailable: %s", e.getMessage());
                throw new IdempotencyStoreUnavailable("the idempotency store cannot be reached", e);
            }
            throw new IllegalStateException("the idempotency store refused the reservation", e);
        }
        if (!reservation.reserved()) {
            return CompletableFuture.completedFuture(new Outcome(reservation.accepted().orElseThrow(SubmissionRefused::inProgress), true));
        }
        CompletableFuture<Accepted> running;
        try {
            running = submission.run();
        } catch (RuntimeException refused) {
            repository.release(client, key);
            throw refused;
        }
        // the key is kept or released with PostgreSQL: on a worker thread, not the producer's callback thread
        return running.handleAsync((accepted, failure) -> {
            if (failure != null) {
                repository.release(client, key);
                throw failure instanceof CompletionException c ? c : new CompletionException(failure);
            }
            try {
                repository.complete(client, key, accepted);
            } catch (SQLException e) {
                // the message is accepted all the same; a repeat may then send it again
                try (MessageLog log = MessageLog.of(accepted.messageId())) {
                    LOG.errorf("message %s accepted, but its idempotency answer could not be stored: %s", accepted.messageId(), e.getMessage());
                }
                repository.release(client, key);
            }
            return new Outcome(accepted, false);
        }, Infrastructure.getDefaultWorkerPool());
    }
}
