package io.postway.router.messaging;

import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.wire.MailRecords;

import java.time.Instant;
import java.util.List;

/**
 * {@code mail.outbound} (router to delivery), key = recipient domain (lower-case A-label), written in
 * wire format 2 ({@link MailRecords}: {@code content} is the value, the rest the metadata header);
 * {@code policy} is the effective policy in force when the job was routed.
 */
public record OutboundJob(String jobId, String messageId, String domain, String from, List<String> recipients,
                          int attempt, Instant submittedAt, byte[] content, EffectivePolicy policy)
        implements MailRecords.Mail {
}
