package io.postway.intake.api;

/** The 202 answer of {@code POST /v1/messages}. */
public record SubmitResponse(String id, int recipients, String status) {
}
