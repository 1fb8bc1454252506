package io.postway.router.domain;

import io.postway.contract.policy.EffectivePolicy;

import java.time.Instant;

/**
 * What the router does with the recipients of one domain of one message ({@link RoutingDecisions}
 * makes the decision; the messaging and queue code carry it out).
 */
public sealed interface RoutingDecision {

    /** A job on mail.outbound: attempt {@code attempt} under {@code policy}. */
    record Route(EffectivePolicy policy, int attempt) implements RoutingDecision {
    }

    /** Not now: (still) waiting in the deferred queue until {@code nextAttemptAt}. */
    record Wait(Instant nextAttemptAt, String diagnosis) implements RoutingDecision {
    }

    /** The end: the message outlived {@code policy.retry.expireAfter}. */
    record Expire(EffectivePolicy policy, String diagnosis) implements RoutingDecision {
    }

    /** The end: given up (an administrator deleted it); {@code policy} is null when it is unknown. */
    record Bounce(EffectivePolicy policy, String diagnosis) implements RoutingDecision {
    }
}
