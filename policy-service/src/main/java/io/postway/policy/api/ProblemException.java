package io.postway.policy.api;

import io.postway.policy.domain.FieldError;

import java.util.List;

/** A refusal as an RFC 9457 problem response carries it ({@link PolicyExceptionMapper} says which is which). */
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
