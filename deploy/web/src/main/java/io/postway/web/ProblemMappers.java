package io.postway.web;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Every error a REST API answers leaves as problem+json, decided here once: refusals as their
 * problem, framework statuses kept, malformed JSON 400, security 401/403, a dependency that is down
 * 503 with Retry-After ({@link ServiceUnavailable}, {@link DependencyFailures}), anything else 500.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @Inject
    Instance<DependencyFailures> dependencyFailures;

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return e.response();
    }

    /** A framework refusal (unknown path, method, media type…) keeps its status; the body becomes a problem. */
    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        // the JSON reader wraps what Jackson refused in a plain 400
        if (e.getCause() instanceof JsonParseException malformed) {
            return malformedJson(malformed);
        }
        if (e.getCause() instanceof MismatchedInputException mismatched) {
            return mismatchedJson(mismatched);
        }
        Response original = e.getResponse();
        int status = original.getStatus();
        if (status >= 500) {
            return unexpected(e);
        }
        ProblemType type = ProblemType.forStatus(status);
        String title = type == ProblemType.REFUSED ? original.getStatusInfo().getReasonPhrase() : type.title();
        return Problem.of(type, status, title, detail(type)).response();
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonParseException e) {
        return Problem.of(ProblemType.VALIDATION, "The body is not well-formed JSON (line " + e.getLocation().getLineNr()
                + ", column " + e.getLocation().getColumnNr() + ").").withErrors(List.of(new Problem.FieldError("body", "not valid JSON"))).response();
    }

    /** Wrong shape: a value of the wrong type, an unrecognised field. The field is named, the value never echoed. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e) {
        String field = path(e);
        String message = e instanceof UnrecognizedPropertyException ? "is not a known field" : "has the wrong type or form";
        return Problem.of(ProblemType.VALIDATION, field + ": " + message)
                .withErrors(List.of(new Problem.FieldError(field, message))).response();
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(RuntimeException e) {
        return Response.fromResponse(BearerKeyMechanism.unauthorized(e instanceof AuthenticationFailedException).response())
                .header(HttpHeaders.WWW_AUTHENTICATE, BearerKeyMechanism.CHALLENGE).build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Problem.of(ProblemType.FORBIDDEN, "This key is known but lacks the role this path needs.").response();
    }

    /**
     * 503 only for a registered dependency failure; otherwise 500. The client gets an error id, the
     * log gets the same id with the failure; the failure's own text never reaches the client.
     */
    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        for (DependencyFailures f : dependencyFailures) {
            Optional<ServiceUnavailable> unavailable = f.unavailable(e);
            if (unavailable.isPresent()) {
                LOG.warnf("answering 503: %s (%s)", unavailable.get().getMessage(), e.getClass().getName());
                return unavailable.get().response();
            }
        }
        String errorId = UUID.randomUUID().toString();
        LOG.errorf(e, "request failed, error id %s", errorId);
        return Problem.of(ProblemType.INTERNAL, "The request failed unexpectedly; nothing may be assumed done. Error id "
                + errorId + " names it in the service's log.").with("errorId", errorId).response();
    }

    private static String detail(ProblemType type) {
        return switch (type) {
            case NOT_FOUND -> "Nothing is at this path.";
            case METHOD_NOT_ALLOWED -> "This path does not take this method.";
            case NOT_ACCEPTABLE -> "No representation of this resource matches the Accept header.";
            case UNSUPPORTED_MEDIA_TYPE -> "This path does not take a body of this Content-Type.";
            case TOO_LARGE -> "The request body is larger than this service accepts.";
            case VALIDATION -> "The request is malformed.";
            default -> type.title() + ".";
        };
    }

    private static String path(JsonMappingException e) {
        String p = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        return p.isEmpty() ? "body" : p;
    }
}
