package io.postway.router.api;

import io.postway.web.ProblemType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** The queue API's refusals, in the one web layer's problem form ({@link io.postway.web.Problem}). */
final class Problem {

    record FieldError(String field, String message) {
    }

    private Problem() {
    }

    static Response response(int status, String title, String detail) {
        return io.postway.web.Problem.of(ProblemType.forStatus(status), status, title, detail).response();
    }

    static Response validation(String detail, List<FieldError> errors) {
        return io.postway.web.Problem.of(ProblemType.VALIDATION, detail)
                .withErrors(errors.stream().map(e -> new io.postway.web.Problem.FieldError(e.field(), e.message())).toList())
                .response();
    }
}
