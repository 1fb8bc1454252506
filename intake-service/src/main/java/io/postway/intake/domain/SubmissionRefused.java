package io.postway.intake.domain;

import java.util.List;

/**
 * A submission the intake will not take. {@code status} is the HTTP answer it maps to (400, 403,
 * 409, 413, 415); {@code errors} names the fields at fault.
 */
public class SubmissionRefused extends RuntimeException {

    private final int status;
    private final String title;
    private final List<FieldError> errors;

    public SubmissionRefused(int status, String title, String detail, List<FieldError> errors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public static SubmissionRefused invalid(String field, String message) {
        return new SubmissionRefused(400, "Invalid message", field + ": " + message, List.of(new FieldError(field, message)));
    }

    public static SubmissionRefused invalid(List<FieldError> errors) {
        String detail = errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid, first " + errors.get(0).field() + ": " + errors.get(0).message();
        return new SubmissionRefused(400, "Invalid message", detail, errors);
    }

    public static SubmissionRefused tooLarge(long size, long limit) {
        return new SubmissionRefused(413, "Message too large",
                "The message is " + size + " bytes; this intake accepts at most " + limit + " bytes.",
                List.of(new FieldError("content", "larger than " + limit + " bytes")));
    }

    /** Another request with the same Idempotency-Key is still running: its outcome is not known yet. */
    public static SubmissionRefused inProgress() {
        return new SubmissionRefused(409, "Request in progress",
                "A request with this Idempotency-Key is still being processed; retry later.", List.of());
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
}
