package io.postway.router.messaging;

import java.time.Instant;
import java.util.List;

/** {@code mail.submitted} (intake to router), key = messageId. */
public record SubmittedMail(String messageId, String client, Instant submittedAt, String from,
                            List<String> recipients, Long sizeBytes, String content) {
}
