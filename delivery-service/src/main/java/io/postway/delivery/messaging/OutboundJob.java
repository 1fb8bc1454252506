package io.postway.delivery.messaging;

import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.policy.PolicyFields;
import io.postway.contract.policy.PolicyRule;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code mail.outbound} (router → delivery), key = recipient domain (deploy/docs/contract.md): read
 * tolerantly (fields delivery does not use are ignored); the policy is the contract's.
 */
public record OutboundJob(String jobId, String messageId, String domain, String from, List<String> recipients,
                          int attempt, Instant submittedAt, String content, EffectivePolicy policy) {

    /**
     * Why no attempt could ever deliver this job, or empty. The contract's policy is complete: every
     * field set but the ones {@link PolicyFields#nullable} names, and a retry schedule with at least
     * one interval (a deferral's next attempt is computed from it). Delivery fills in no default for
     * a missing field: a job whose policy lacks one is as unreadable as one without a policy.
     */
    Optional<String> unreadable() {
        if (messageId == null || submittedAt == null || recipients == null || recipients.isEmpty() || content == null
                || policy == null) {
            return Optional.of("messageId, submittedAt, recipients, content and policy are required");
        }
        PolicyRule fields = new PolicyRule(policy.rule(), policy.version(), policy.tls(), policy.auth(), policy.route(),
                policy.limits(), policy.retry(), null, null);
        List<String> missing = PolicyFields.ALL.stream()
                .filter(f -> !PolicyFields.nullable(f.path()) && f.get().apply(fields) == null)
                .map(PolicyFields.Field::path)
                .toList();
        if (!missing.isEmpty()) {
            return Optional.of("the policy is incomplete, it lacks " + String.join(", ", missing));
        }
        if (fields.retry().intervals().isEmpty()) {
            return Optional.of("the policy's retry.intervals is empty");
        }
        return Optional.empty();
    }
}
