package io.postway.intake.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.postway.intake.domain.FieldError;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** RFC 9457 problem details; {@code errors} only for validation problems. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Response response(int status, String title, String detail, List<FieldError> errors) {
        String type = "https://postway.io/problems/" + title.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("-$", "");
        return Response.status(status).type(MEDIA_TYPE)
                .entity(new Problem(type, title, status, detail, errors == null || errors.isEmpty() ? null : errors))
                .build();
    }

    public static Response response(int status, String title, String detail) {
        return response(status, title, detail, null);
    }
}
