package io.postway.delivery.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** When the router will try a deferred recipient again: the policy's interval for this attempt, the last one repeating. */
public final class RetrySchedule {

    private RetrySchedule() {
    }

    public static Instant nextAttemptAt(Instant now, int attempt, List<Duration> intervals) {
        if (intervals == null || intervals.isEmpty()) {
            return now.plus(Duration.ofMinutes(15));
        }
        int i = Math.min(Math.max(attempt, 1) - 1, intervals.size() - 1);
        return now.plus(intervals.get(i));
    }
}
