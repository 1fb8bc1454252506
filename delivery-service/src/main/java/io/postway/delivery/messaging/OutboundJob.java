package io.postway.delivery.messaging;

import io.postway.contract.policy.EffectivePolicy;

import java.time.Instant;
import java.util.List;

/**
 * {@code mail.outbound} (router → delivery), key = recipient domain (deploy/docs/contract.md): read
 * tolerantly (fields delivery does not use are ignored); the policy is the contract's.
 */
public record OutboundJob(String jobId, String messageId, String domain, String from, List<String> recipients,
                          int attempt, Instant submittedAt, String content, EffectivePolicy policy) {
}
