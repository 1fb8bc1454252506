package io.postway.policy.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.postway.policy.domain.FieldError;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;

/** Turns refusals and failures into RFC 9457 {@code application/problem+json}. */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    public static final String PROBLEM_JSON = "application/problem+json";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Problem(String type, String title, int status, String detail, List<FieldError> errors,
                          List<ProblemException.Conflict> conflicts, Long currentVersion) {
    }

    public static Response response(int status, String title, String detail) {
        return Response.status(status).type(PROBLEM_JSON)
                .entity(new Problem(type(status), title, status, detail, null, null, null)).build();
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return Response.status(e.status()).type(PROBLEM_JSON)
                .entity(new Problem(type(e.status()), e.title(), e.status(), e.getMessage(), e.errors(), e.conflicts(),
                        e.currentVersion())).build();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return response(status, e.getResponse().getStatusInfo().getReasonPhrase(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        if (e.getCause() instanceof java.sql.SQLException sql) {
            LOG.errorf("database failure: SQLState %s", sql.getSQLState());
            return response(503, "Database unavailable", "The policy database cannot be reached; nothing was changed. Retry later");
        }
        // the class name only: messages of lower layers could quote request data
        LOG.errorf("request failed: %s", e.getClass().getName());
        LOG.debug("request failure", e);
        return response(500, "Internal error", "The request failed inside policy-service; see its log");
    }

    static String type(int status) {
        return switch (status) {
            case 400 -> "https://postway.io/problems/invalid-policy";
            case 401 -> "https://postway.io/problems/unauthorized";
            case 403 -> "https://postway.io/problems/forbidden";
            case 404 -> "https://postway.io/problems/not-found";
            case 409 -> "https://postway.io/problems/conflict";
            case 412 -> "https://postway.io/problems/version-mismatch";
            default -> "about:blank";
        };
    }
}
