package io.postway.router.domain;

import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.retry.RetrySchedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The router's decisions as plain functions of what is known at the moment: the policy in force
 * (empty when it cannot be known), the clock, and the entry or message at hand. No I/O here.
 */
public final class RoutingDecisions {

    private RoutingDecisions() {
    }

    /**
     * A freshly accepted message's recipients of {@code domain}: attempt 1 under the policy in force;
     * when it cannot be known, they wait (attempt 0 = held back before any attempt) instead of going
     * out under a possibly weaker policy (fail closed).
     */
    public static RoutingDecision forSubmitted(String domain, Optional<EffectivePolicy> policy, Instant now,
                                               Duration unknownPolicyRetry) {
        return policy.<RoutingDecision>map(p -> new RoutingDecision.Route(p, 1))
                .orElseGet(() -> new RoutingDecision.Wait(now.plus(unknownPolicyRetry),
                        RouterDiagnoses.policyUnknown(domain)));
    }

    /**
     * A queue entry that came due: the end when its message outlived {@code retry.expireAfter} of the
     * policy in force now, else its next attempt under that policy. While the policy is unknown it
     * keeps waiting and does not expire either (its {@code expireAfter} is unknown too).
     */
    public static RoutingDecision forQueued(QueueEntry entry, Optional<EffectivePolicy> policy, Instant now,
                                            Duration unknownPolicyRetry) {
        if (policy.isEmpty()) {
            return new RoutingDecision.Wait(now.plus(unknownPolicyRetry),
                    RouterDiagnoses.policyUnknown(entry.domain()));
        }
        EffectivePolicy p = policy.get();
        Duration expireAfter = p.retry().expireAfter();
        if (RetrySchedule.isExpired(entry.submittedAt(), expireAfter, now)) {
            return new RoutingDecision.Expire(p, RouterDiagnoses.expired(entry.submittedAt(), expireAfter, entry.lastDiagnosis()));
        }
        return new RoutingDecision.Route(p, entry.attempt() + 1);
    }

    /**
     * When recipients deferred by delivery come due: at the instant delivery promised in its record
     * (and in its deferred event), so both say the same; for an older record without it, by the
     * contract's retry schedule under the policy in force; without a policy, after {@code
     * unknownPolicyRetry}. The policy is looked up only when it is needed.
     */
    public static Instant deferredDueAt(Instant promised, Instant submittedAt, Instant deferredAt, int failedAttempt,
                                        Supplier<Optional<EffectivePolicy>> policyInForce, Duration unknownPolicyRetry) {
        if (promised != null) {
            return promised;
        }
        return policyInForce.get()
                .map(p -> RetrySchedule.nextAttemptAt(submittedAt, deferredAt, failedAttempt, p.retry()))
                .orElse(deferredAt.plus(unknownPolicyRetry));
    }
}
