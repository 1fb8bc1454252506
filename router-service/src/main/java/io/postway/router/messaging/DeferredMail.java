package io.postway.router.messaging;

import java.time.Instant;
import java.util.List;

/** {@code mail.deferred} (delivery to router), key = messageId; {@code attempt} is the attempt that failed. */
public record DeferredMail(String messageId, String domain, String from, List<String> recipients, int attempt,
                           Instant submittedAt, Instant deferredAt, String content, String diagnosis,
                           String policyRule, Long policyVersion) {
}
