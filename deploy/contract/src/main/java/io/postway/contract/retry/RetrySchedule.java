package io.postway.contract.retry;

import io.postway.contract.policy.PolicyRule;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * When a deferred recipient is tried again, and when its message gives up: the one schedule that
 * delivery promises in its {@code deferred} event and on {@code mail.deferred}, and the router keeps.
 *
 * <p>The intervals are the gaps after each failed attempt; after the last one the last gap repeats
 * (like IIS SMTP's retry settings). Expiry counts from the first acceptance ({@code submittedAt}),
 * not from the latest attempt, so a message never lives longer than {@code expireAfter} however often
 * it was retried (Postfix's {@code maximal_queue_lifetime}). The next attempt is never later than
 * the expiry, so an expiry is noticed when it happens rather than at a retry after it.
 */
public final class RetrySchedule {

    private RetrySchedule() {
    }

    /** The gap after failed attempt number {@code failedAttempt} (1-based; 0, none made yet, uses the first). */
    public static Duration intervalAfter(int failedAttempt, List<Duration> intervals) {
        if (intervals == null || intervals.isEmpty()) {
            throw new IllegalArgumentException("a retry schedule needs at least one interval");
        }
        int index = Math.min(Math.max(failedAttempt, 1) - 1, intervals.size() - 1);
        return intervals.get(index);
    }

    public static Instant expiresAt(Instant submittedAt, Duration expireAfter) {
        return submittedAt.plus(expireAfter);
    }

    public static boolean isExpired(Instant submittedAt, Duration expireAfter, Instant now) {
        return !now.isBefore(expiresAt(submittedAt, expireAfter));
    }

    /** The next attempt after attempt {@code failedAttempt} failed at {@code failedAt}, capped at the expiry. */
    public static Instant nextAttemptAt(Instant submittedAt, Instant failedAt, int failedAttempt, PolicyRule.Retry retry) {
        Instant next = failedAt.plus(intervalAfter(failedAttempt, retry.intervals()));
        Instant expiry = expiresAt(submittedAt, retry.expireAfter());
        return next.isAfter(expiry) ? expiry : next;
    }
}
