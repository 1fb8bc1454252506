package io.postway.router.messaging;

import io.postway.contract.wire.MailRecords;

import java.time.Instant;
import java.util.List;

/**
 * {@code mail.submitted} (intake to router), key = messageId, read in either wire format
 * ({@link MailRecords}); {@code content} is the raw message, handed on to the jobs as it is.
 */
public record SubmittedMail(String messageId, String client, Instant submittedAt, String from,
                            List<String> recipients, Long sizeBytes, byte[] content) implements MailRecords.Mail {
}
