package io.postway.web;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.postway.contract.json.ContractJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RFC 9457 problem details, served as {@code application/problem+json}. {@code errors} names the
 * fields at fault (validation); {@code extensions} are further members at the top level where a
 * service needs them (policy's {@code conflicts}, {@code currentVersion}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "title", "status", "detail", "errors"})
public record Problem(String type, String title, int status, String detail, List<FieldError> errors,
                      @JsonIgnore Map<String, Object> extensions) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One refused field: {@code field} names it as the client wrote it. */
    public record FieldError(String field, String message) {
    }

    public Problem {
        errors = errors == null || errors.isEmpty() ? null : List.copyOf(errors);
        extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
    }

    /** A problem of this type with its default title and status. */
    public static Problem of(ProblemType type, String detail) {
        return of(type, type.status(), type.title(), detail);
    }

    /** A problem of this type with its own status and title (a framework status, a service's wording). */
    public static Problem of(ProblemType type, int status, String title, String detail) {
        return new Problem(type.uri().toString(), title, status, detail, null, null);
    }

    public Problem withErrors(List<FieldError> fieldErrors) {
        return new Problem(type, title, status, detail, fieldErrors, extensions);
    }

    /** This problem with one more top-level member; a null value leaves it out. */
    public Problem with(String member, Object value) {
        if (value == null) {
            return this;
        }
        Map<String, Object> more = new LinkedHashMap<>(extensions);
        more.put(member, value);
        return new Problem(type, title, status, detail, errors, more);
    }

    @JsonAnyGetter
    Map<String, Object> members() {
        return extensions;
    }

    /** The HTTP answer: this problem as {@code application/problem+json} with its status. */
    public Response response() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }

    /**
     * The same answer where no JAX-RS resource answers (a Vert.x route, an authentication
     * challenge): status, {@code application/problem+json} and this problem as the body, in the
     * contract's JSON form, as the REST layer writes it. Headers the caller adds go on before.
     */
    public void writeTo(HttpServerResponse response) {
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, MEDIA_TYPE)
                .end(Buffer.buffer(ContractJson.writeBytes(this)));
    }
}
