package io.postway.policy.api;

import io.postway.policy.domain.FieldError;

import java.util.List;

/** A refusal that becomes an RFC 9457 problem response. */
public class ProblemException extends RuntimeException {

    public record Conflict(String rule, List<FieldError> errors) {
    }

    private final int status;
    private final String title;
    private final List<FieldError> errors;
    private final List<Conflict> conflicts;
    private final Long currentVersion;

    public ProblemException(int status, String title, String detail, List<FieldError> errors, List<Conflict> conflicts,
                            Long currentVersion) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.errors = errors;
        this.conflicts = conflicts;
        this.currentVersion = currentVersion;
    }

    public static ProblemException validation(List<FieldError> errors) {
        String detail = errors.stream().map(e -> e.field() + ": " + e.message()).reduce((a, b) -> a + "; " + b).orElse("invalid");
        return new ProblemException(400, "Invalid policy", detail, errors, null, null);
    }

    public static ProblemException validation(String field, String message) {
        return validation(List.of(new FieldError(field, message)));
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "Not found", detail, null, null, null);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public List<Conflict> conflicts() {
        return conflicts;
    }

    public Long currentVersion() {
        return currentVersion;
    }
}
