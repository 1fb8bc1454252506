package io.postway.intake.messaging;

import java.time.Instant;
import java.util.List;

/** The value of a {@code mail.submitted} record (key = messageId), as in deploy/docs/contract.md. */
public record SubmittedMessage(String messageId, String client, Instant submittedAt, String from,
                               List<String> recipients, long sizeBytes, String content) {
}
