package io.postway.policy.api;

import io.postway.policy.domain.PolicyException;
import io.postway.policy.domain.PolicyException.DefaultBreaksDomains;
import io.postway.policy.domain.PolicyException.DefaultNotDeletable;
import io.postway.policy.domain.PolicyException.InvalidPolicy;
import io.postway.policy.domain.PolicyException.NoSecretKey;
import io.postway.policy.domain.PolicyException.RuleNotFound;
import io.postway.policy.domain.PolicyException.VersionMismatch;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * How each refusal of the policy-service reads over HTTP: its status and title. The body is the
 * one every refusal of this API has ({@link ProblemMapper}); the detail is the refusal's message.
 */
public class PolicyExceptionMapper {

    private final ProblemMapper problems = new ProblemMapper();

    @ServerExceptionMapper
    public Response refused(PolicyException e) {
        return problems.problem(problemOf(e));
    }

    static ProblemException problemOf(PolicyException e) {
        if (e instanceof InvalidPolicy invalid) {
            return new ProblemException(400, "Invalid policy", e.getMessage(), invalid.errors(), null, null);
        }
        if (e instanceof RuleNotFound) {
            return new ProblemException(404, "Not found", e.getMessage(), null, null, null);
        }
        if (e instanceof VersionMismatch mismatch) {
            return new ProblemException(412, "Precondition failed", e.getMessage(), null, null, mismatch.currentVersion());
        }
        if (e instanceof DefaultBreaksDomains breaks) {
            return new ProblemException(409, "Change of default would invalidate domain rules", e.getMessage(), null,
                    breaks.conflicts().stream().map(c -> new ProblemException.Conflict(c.rule(), c.errors())).toList(), null);
        }
        if (e instanceof DefaultNotDeletable) {
            return new ProblemException(409, "default cannot be deleted", e.getMessage(), null, null, null);
        }
        if (e instanceof NoSecretKey) {
            return new ProblemException(503, "No secret key configured", e.getMessage(), null, null, null);
        }
        // PolicyException is sealed: a new kind fails here until it is given its response
        throw new IllegalStateException("no response defined for " + e.getClass().getName());
    }
}
