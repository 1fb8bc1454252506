package io.postway.intake.api;

import io.postway.intake.domain.IdempotencyStoreUnavailable;
import io.postway.intake.domain.NotAcknowledged;
import io.postway.intake.domain.StatusStoreUnavailable;
import io.postway.intake.domain.SubmissionRefused;
import io.postway.web.Problem;
import io.postway.web.ProblemType;
import io.postway.web.ServiceUnavailable;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * How the intake's refusals and unavailable dependencies read over HTTP: each kind of
 * {@link SubmissionRefused} as its problem type (default title and status), the stores and the
 * broker that are down as 503 ({@link ServiceUnavailable}). Decided here once.
 */
public class SubmissionProblems {

    private static final Logger LOG = Logger.getLogger(SubmissionProblems.class);

    @ServerExceptionMapper
    public Response refused(SubmissionRefused e) {
        return problemOf(e).response();
    }

    @ServerExceptionMapper
    public Response notAcknowledged(NotAcknowledged e) {
        LOG.warnf("answering 503: %s", e.getMessage());
        return new ServiceUnavailable("Kafka did not acknowledge the message in time; nothing was accepted. Retry later (with the same Idempotency-Key).").response();
    }

    @ServerExceptionMapper
    public Response idempotencyStoreUnavailable(IdempotencyStoreUnavailable e) {
        return new ServiceUnavailable("The idempotency store cannot be reached; nothing was accepted. Retry later.").response();
    }

    @ServerExceptionMapper
    public Response statusStoreUnavailable(StatusStoreUnavailable e) {
        LOG.warnf("answering 503: %s", e.getMessage());
        return new ServiceUnavailable("The status store cannot be reached. Retry later.").response();
    }

    static Problem problemOf(SubmissionRefused e) {
        return Problem.of(typeOf(e.kind()), e.getMessage())
                .withErrors(e.errors().stream().map(f -> new Problem.FieldError(f.field(), f.message())).toList());
    }

    static ProblemType typeOf(SubmissionRefused.Kind kind) {
        return switch (kind) {
            case INVALID_MESSAGE -> ProblemType.INVALID_MESSAGE;
            case INVALID_REQUEST -> ProblemType.VALIDATION;
            case TOO_LARGE -> ProblemType.MESSAGE_TOO_LARGE;
            case SENDER_DOMAIN_NOT_ALLOWED -> ProblemType.SENDER_DOMAIN_NOT_ALLOWED;
            case IN_PROGRESS -> ProblemType.REQUEST_IN_PROGRESS;
        };
    }
}
