package io.postway.delivery.messaging;

import java.time.Instant;
import java.util.List;

/** {@code mail.deferred} (delivery → router), key = messageId: recipients of one job deferred with the same diagnosis. */
public record DeferredRecord(String messageId, String domain, String from, List<String> recipients, int attempt,
                             Instant submittedAt, Instant deferredAt, String content, String diagnosis,
                             String policyRule, long policyVersion) {
}
