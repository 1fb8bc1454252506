package io.postway.intake.domain;

/** An accepted submission: the broker has the message. What a 202, and its idempotent replay, say. */
public record Accepted(String messageId, int recipients) {
}
