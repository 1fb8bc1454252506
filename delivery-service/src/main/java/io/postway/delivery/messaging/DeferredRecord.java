package io.postway.delivery.messaging;

import java.time.Instant;
import java.util.List;

/**
 * {@code mail.deferred} (delivery → router), key = messageId: recipients of one job deferred with the
 * same diagnosis (deploy/docs/contract.md). {@code nextAttemptAt} is the instant the deferred events
 * of the same job promise, from the contract's retry schedule. {@code content} is the job's message,
 * written as base64 in the JSON (mail.deferred stays in wire format 1).
 */
public record DeferredRecord(String messageId, String domain, String from, List<String> recipients, int attempt,
                             Instant submittedAt, Instant deferredAt, byte[] content, String diagnosis,
                             String policyRule, long policyVersion, Instant nextAttemptAt) {
}
