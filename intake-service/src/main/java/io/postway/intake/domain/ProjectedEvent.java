package io.postway.intake.domain;

import java.time.Instant;

/**
 * One delivery event as the status view stores it: the recipient's status at {@code at}, the
 * event's {@code data} as JSON, and, on intake's accepted events, the client that owns the
 * message (null otherwise) with its submission time.
 */
public record ProjectedEvent(String messageId, String recipient, String status, int attempt, Instant at,
                             String dataJson, String client, Instant submittedAt) {
}
