package io.postway.policy.api;

import io.postway.policy.domain.FieldError;
import io.postway.policy.domain.PolicyException;
import io.postway.policy.domain.PolicyException.DefaultBreaksDomains;
import io.postway.policy.domain.PolicyException.DefaultNotDeletable;
import io.postway.policy.domain.PolicyException.InvalidPolicy;
import io.postway.policy.domain.PolicyException.NoSecretKey;
import io.postway.policy.domain.PolicyException.RuleNotFound;
import io.postway.policy.domain.PolicyException.VersionMismatch;
import io.postway.web.Problem;
import io.postway.web.ProblemType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;
import java.util.UUID;

/**
 * How each refusal of the policy-service reads over HTTP: the web layer's problem of its
 * {@link ProblemType}, with the refusal's message as detail and the policy members
 * {@code errors}, {@code conflicts} and {@code currentVersion}.
 */
public class PolicyExceptionMapper {

    private static final Logger LOG = Logger.getLogger(PolicyExceptionMapper.class);

    /** What the operator must do; the same every time, so it never depends on an exception's wording. */
    static final String NO_SECRET_KEY_DETAIL = "This service has no key to encrypt remote-login passwords, so it cannot store one."
            + " Set POSTWAY_SECRET_KEYS (keyId:base64-32-bytes[,…]) and restart the service; rules without a password can be saved meanwhile.";

    @ServerExceptionMapper
    public Response refused(PolicyException e) {
        return problemOf(e).response();
    }

    static Problem problemOf(PolicyException e) {
        if (e instanceof InvalidPolicy invalid) {
            return Problem.of(ProblemType.INVALID_POLICY, e.getMessage()).withErrors(webErrors(invalid.errors()));
        }
        if (e instanceof RuleNotFound) {
            return Problem.of(ProblemType.NOT_FOUND, e.getMessage());
        }
        if (e instanceof VersionMismatch mismatch) {
            return Problem.of(ProblemType.VERSION_MISMATCH, e.getMessage()).with("currentVersion", mismatch.currentVersion());
        }
        if (e instanceof DefaultBreaksDomains breaks) {
            return conflict("Change of default would invalidate domain rules", e).with("conflicts", breaks.conflicts());
        }
        if (e instanceof DefaultNotDeletable) {
            return conflict("default cannot be deleted", e);
        }
        if (e instanceof NoSecretKey) {
            return missingSecretKey();
        }
        // PolicyException is sealed: a new kind fails here until it is given its response
        throw new IllegalStateException("no response defined for " + e.getClass().getName());
    }

    private static Problem conflict(String title, PolicyException e) {
        return Problem.of(ProblemType.CONFLICT, ProblemType.CONFLICT.status(), title, e.getMessage());
    }

    /**
     * A configuration fault, not a dependency that is down: waiting does not help, so it is a 500
     * without Retry-After. Like every 500 its detail and {@code errorId} name an error id that the
     * log carries too.
     */
    private static Problem missingSecretKey() {
        String errorId = UUID.randomUUID().toString();
        LOG.errorf("refused to store a remote-login password, error id %s: POSTWAY_SECRET_KEYS is not set", errorId);
        return Problem.of(ProblemType.INTERNAL, NO_SECRET_KEY_DETAIL + " (error id " + errorId + ")").with("errorId", errorId);
    }

    private static List<Problem.FieldError> webErrors(List<FieldError> errors) {
        return errors.stream().map(e -> new Problem.FieldError(e.field(), e.message())).toList();
    }
}
