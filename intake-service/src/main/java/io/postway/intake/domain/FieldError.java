package io.postway.intake.domain;

/** One refused field of a submission: {@code field} names it as the client wrote it. */
public record FieldError(String field, String message) {
}
