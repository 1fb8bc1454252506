package io.postway.router.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Recipients of one domain of one message waiting in the deferred queue. {@code attempt} is the
 * last attempt made (0 when the router held them back before any attempt, e.g. policy unknown);
 * the next routing makes attempt {@code attempt + 1}. {@code content} is the raw message (null when
 * read without it, for the admin API).
 */
public record QueueEntry(UUID id, String messageId, String domain, String from, List<String> recipients, int attempt,
                         Instant submittedAt, Instant deferredAt, Instant nextAttemptAt, String lastDiagnosis,
                         String policyRule, Long policyVersion, byte[] content) {
}
