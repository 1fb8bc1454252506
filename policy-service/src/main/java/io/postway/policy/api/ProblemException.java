package io.postway.policy.api;

import io.postway.policy.domain.FieldError;
import io.postway.web.Problem;
import io.postway.web.ProblemType;
import io.postway.web.ServiceUnavailable;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.util.List;

/**
 * A policy refusal in the one web layer's form: answered by deploy/web's mappers (or returned with
 * {@link #response()} by a mapper of this service). The status picks the problem type; the policy
 * members {@code conflicts} and {@code currentVersion} travel as extension members.
 */
public class ProblemException extends io.postway.web.ProblemException {

    public record Conflict(String rule, List<FieldError> errors) {
    }

    public ProblemException(int status, String title, String detail, List<FieldError> errors, List<Conflict> conflicts,
                            Long currentVersion) {
        super(Problem.of(typeOf(status), status, title, detail)
                .withErrors(errors == null ? null : errors.stream().map(e -> new Problem.FieldError(e.field(), e.message())).toList())
                .with("conflicts", conflicts)
                .with("currentVersion", currentVersion));
    }

    /** A 503 says when to come back, as every 503 of the web layer does. */
    @Override
    public Response response() {
        Response r = super.response();
        return r.getStatus() != 503 ? r : Response.fromResponse(r)
                .header(HttpHeaders.RETRY_AFTER, ServiceUnavailable.DEFAULT_RETRY_AFTER.toSeconds()).build();
    }

    /** This service's types: a 400 is always about the policy sent. */
    private static ProblemType typeOf(int status) {
        return status == 400 ? ProblemType.INVALID_POLICY : ProblemType.forStatus(status);
    }
}
