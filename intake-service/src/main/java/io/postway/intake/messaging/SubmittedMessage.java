package io.postway.intake.messaging;

import io.postway.contract.wire.MailRecords;

import java.time.Instant;
import java.util.List;

/**
 * A {@code mail.submitted} record (key = messageId), as in deploy/docs/contract.md: written in wire
 * format 2 ({@link MailRecords}): {@code content}, the raw message, is the record value, the other
 * fields are the metadata header's JSON.
 */
public record SubmittedMessage(String messageId, String client, Instant submittedAt, String from,
                               List<String> recipients, long sizeBytes, byte[] content) implements MailRecords.Mail {
}
