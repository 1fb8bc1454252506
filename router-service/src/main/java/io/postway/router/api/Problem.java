package io.postway.router.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** RFC 9457 problem details, as every Postway API answers errors. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public record FieldError(String field, String message) {
    }

    public static Response response(int status, String title, String detail) {
        return response(new Problem("about:blank", title, status, detail, null));
    }

    public static Response validation(String detail, List<FieldError> errors) {
        return response(new Problem("https://postway.io/problems/validation", "Invalid request", 400, detail, errors));
    }

    public static Response response(Problem p) {
        return Response.status(p.status()).type(MEDIA_TYPE).entity(p).build();
    }
}
