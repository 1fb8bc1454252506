package io.postway.router.messaging;

import java.time.Instant;
import java.util.List;

/**
 * {@code mail.deferred} (delivery to router), key = messageId; {@code attempt} is the attempt that
 * failed; {@code nextAttemptAt} the retry delivery promised in its deferred event (null in records
 * older than that field). {@code content} is the raw message (base64 in the JSON).
 */
public record DeferredMail(String messageId, String domain, String from, List<String> recipients, int attempt,
                           Instant submittedAt, Instant deferredAt, Instant nextAttemptAt, byte[] content,
                           String diagnosis, String policyRule, Long policyVersion) {
}
