package io.postway.intake.domain;

import java.util.List;

/**
 * A submission the intake will not take, of one {@link Kind}; {@code errors} names the fields at
 * fault. What a kind looks like on the wire (status, problem type) is the REST layer's decision.
 */
public class SubmissionRefused extends RuntimeException {

    /** Why the submission is refused. */
    public enum Kind {
        /** The message, or one of its fields or its envelope, is not acceptable. */
        INVALID_MESSAGE,
        /** The request around the message is malformed: a header or parameter ({@code errors} names it). */
        INVALID_REQUEST,
        /** Over {@code postway.intake.max-message-size}. */
        TOO_LARGE,
        /** The envelope sender's domain is not one the client may use. */
        SENDER_DOMAIN_NOT_ALLOWED,
        /** Another request with the same Idempotency-Key is still running. */
        IN_PROGRESS
    }

    private final Kind kind;
    private final List<FieldError> errors;

    private SubmissionRefused(Kind kind, String detail, List<FieldError> errors) {
        super(detail);
        this.kind = kind;
        this.errors = List.copyOf(errors);
    }

    public static SubmissionRefused invalid(String field, String message) {
        return invalid(List.of(new FieldError(field, message)));
    }

    public static SubmissionRefused invalid(List<FieldError> errors) {
        return new SubmissionRefused(Kind.INVALID_MESSAGE, detail(errors), errors);
    }

    /** A malformed header or parameter of the request, not of the message. */
    public static SubmissionRefused invalidRequest(String field, String message) {
        List<FieldError> errors = List.of(new FieldError(field, message));
        return new SubmissionRefused(Kind.INVALID_REQUEST, detail(errors), errors);
    }

    public static SubmissionRefused tooLarge(long size, long limit) {
        return new SubmissionRefused(Kind.TOO_LARGE,
                "The message is " + size + " bytes; this intake accepts at most " + limit + " bytes.",
                List.of(new FieldError("content", "larger than " + limit + " bytes")));
    }

    public static SubmissionRefused senderDomainNotAllowed(List<String> allowed, String domain) {
        return new SubmissionRefused(Kind.SENDER_DOMAIN_NOT_ALLOWED,
                "This client key may send only from " + String.join(", ", allowed) + ", not from " + domain + ".",
                List.of(new FieldError("from", "domain " + domain + " is not allowed for this client")));
    }

    /** Another request with the same Idempotency-Key is still running: its outcome is not known yet. */
    public static SubmissionRefused inProgress() {
        return new SubmissionRefused(Kind.IN_PROGRESS,
                "A request with this Idempotency-Key is still being processed; retry later.", List.of());
    }

    public Kind kind() {
        return kind;
    }

    public List<FieldError> errors() {
        return errors;
    }

    private static String detail(List<FieldError> errors) {
        return errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid, first " + errors.get(0).field() + ": " + errors.get(0).message();
    }
}
