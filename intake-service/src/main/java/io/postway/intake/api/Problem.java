package io.postway.intake.api;

import io.postway.intake.domain.FieldError;
import io.postway.web.ProblemType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** The intake's refusals in the one web layer's problem form ({@link io.postway.web.Problem}); its status picks the type. */
final class Problem {

    static final String MEDIA_TYPE = io.postway.web.Problem.MEDIA_TYPE;

    private Problem() {
    }

    static Response response(int status, String title, String detail, List<FieldError> errors) {
        return io.postway.web.Problem.of(typeOf(status), status, title, detail)
                .withErrors(errors == null ? null : errors.stream().map(e -> new io.postway.web.Problem.FieldError(e.field(), e.message())).toList())
                .response();
    }

    static Response response(int status, String title, String detail) {
        return response(status, title, detail, null);
    }

    /** The intake's own types where it has one, the generic ones otherwise. */
    static ProblemType typeOf(int status) {
        return switch (status) {
            case 400 -> ProblemType.INVALID_MESSAGE;
            case 403 -> ProblemType.SENDER_DOMAIN_NOT_ALLOWED;
            case 409 -> ProblemType.REQUEST_IN_PROGRESS;
            case 413 -> ProblemType.MESSAGE_TOO_LARGE;
            default -> ProblemType.forStatus(status);
        };
    }
}
