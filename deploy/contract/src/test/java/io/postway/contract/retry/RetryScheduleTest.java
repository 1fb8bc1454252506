package io.postway.contract.retry;

import io.postway.contract.policy.PolicyRule;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryScheduleTest {

    private static final List<Duration> IIS = List.of(Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(4));
    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    @Test
    void eachFailedAttemptUsesItsInterval() {
        assertEquals(Duration.ofMinutes(15), RetrySchedule.intervalAfter(1, IIS));
        assertEquals(Duration.ofMinutes(30), RetrySchedule.intervalAfter(2, IIS));
        assertEquals(Duration.ofHours(1), RetrySchedule.intervalAfter(3, IIS));
        assertEquals(Duration.ofHours(4), RetrySchedule.intervalAfter(4, IIS));
    }

    @Property
    void intervalsAfterTheLastRepeatTheLast(@ForAll @IntRange(min = 4, max = 10_000) int attempt) {
        assertEquals(Duration.ofHours(4), RetrySchedule.intervalAfter(attempt, IIS));
    }

    @Test
    void heldBackBeforeAnyAttemptUsesTheFirstInterval() {
        assertEquals(Duration.ofMinutes(15), RetrySchedule.intervalAfter(0, IIS));
    }

    @Test
    void aScheduleWithoutIntervalsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> RetrySchedule.intervalAfter(1, List.of()));
    }

    @Test
    void nextAttemptCountsFromTheDeferral() {
        Instant deferredAt = T0.plus(Duration.ofHours(3));
        assertEquals(deferredAt.plus(Duration.ofMinutes(30)),
                RetrySchedule.nextAttemptAt(T0, deferredAt, 2, new PolicyRule.Retry(IIS, Duration.ofDays(2))));
    }

    @Test
    void expiryCountsFromFirstAcceptanceNotFromTheLatestAttempt() {
        Duration expireAfter = Duration.ofDays(2);
        assertFalse(RetrySchedule.isExpired(T0, expireAfter, T0.plus(Duration.ofDays(2)).minusSeconds(1)));
        assertTrue(RetrySchedule.isExpired(T0, expireAfter, T0.plus(Duration.ofDays(2))));
    }

    @Test
    void nextAttemptIsNeverLaterThanTheExpiry() {
        Instant deferredAt = T0.plus(Duration.ofHours(47));
        assertEquals(T0.plus(Duration.ofDays(2)),
                RetrySchedule.nextAttemptAt(T0, deferredAt, 7, new PolicyRule.Retry(IIS, Duration.ofDays(2))));
    }

    @Property
    void nextAttemptIsAfterTheDeferralAndNoLaterThanExpiry(@ForAll @IntRange(min = 1, max = 50) int attempt,
                                                           @ForAll @IntRange(min = 0, max = 60 * 48) int minutesAfterAcceptance) {
        Instant deferredAt = T0.plus(Duration.ofMinutes(minutesAfterAcceptance));
        Instant next = RetrySchedule.nextAttemptAt(T0, deferredAt, attempt, new PolicyRule.Retry(IIS, Duration.ofDays(2)));
        assertFalse(next.isAfter(T0.plus(Duration.ofDays(2))));
        assertTrue(next.isAfter(deferredAt) || next.equals(T0.plus(Duration.ofDays(2))));
    }
}
