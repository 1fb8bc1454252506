package io.postway.router.domain;

import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.policy.PolicyResolution;
import io.postway.contract.policy.PolicyResolver;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class RoutingDecisionsTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    private static final Duration UNKNOWN_RETRY = Duration.ofMinutes(1);
    private static final EffectivePolicy DEFAULT = PolicyResolver.resolve("fabrikam.com",
            Map.of("default", Policies.defaultRule())).map(PolicyResolution::policy).orElseThrow();

    private static QueueEntry entry(int attempt, Instant submittedAt) {
        return new QueueEntry(UUID.randomUUID(), "m1", "fabrikam.com", "it@contoso.com", List.of("a@fabrikam.com"),
                attempt, submittedAt, submittedAt, submittedAt, "451 4.3.0 try later", "default", 1L, "content".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void aSubmittedMessageGoesOutAsAttemptOneUnderThePolicyInForce() {
        var route = assertInstanceOf(RoutingDecision.Route.class,
                RoutingDecisions.forSubmitted("fabrikam.com", Optional.of(DEFAULT), T0, UNKNOWN_RETRY));
        assertEquals(1, route.attempt());
        assertEquals(DEFAULT, route.policy());
    }

    @Test
    void withoutAPolicyASubmittedMessageWaitsInsteadOfGoingOut() {
        var wait = assertInstanceOf(RoutingDecision.Wait.class,
                RoutingDecisions.forSubmitted("fabrikam.com", Optional.empty(), T0, UNKNOWN_RETRY));
        assertEquals(T0.plus(UNKNOWN_RETRY), wait.nextAttemptAt());
        assertEquals("The router could not learn the policy for fabrikam.com; it will try again. Until then the mail waits "
                + "instead of going out under a possibly weaker policy.", wait.diagnosis());
    }

    @Test
    void aDueEntryIsTheNextAttemptUntilItsMessageOutlivesExpireAfter() {
        Instant submittedAt = T0.minus(Duration.ofDays(2));
        var route = assertInstanceOf(RoutingDecision.Route.class,
                RoutingDecisions.forQueued(entry(3, submittedAt.plusMillis(1)), Optional.of(DEFAULT), T0, UNKNOWN_RETRY));
        assertEquals(4, route.attempt());

        var expire = assertInstanceOf(RoutingDecision.Expire.class,
                RoutingDecisions.forQueued(entry(3, submittedAt), Optional.of(DEFAULT), T0, UNKNOWN_RETRY));
        assertTrue(expire.diagnosis().contains("451 4.3.0 try later"), "names the last problem: " + expire.diagnosis());
    }

    @Test
    void withoutAPolicyADueEntryNeitherGoesOutNorExpires() {
        RoutingDecision d = RoutingDecisions.forQueued(entry(3, T0.minus(Duration.ofDays(30))), Optional.empty(), T0,
                UNKNOWN_RETRY);
        assertEquals(T0.plus(UNKNOWN_RETRY), assertInstanceOf(RoutingDecision.Wait.class, d).nextAttemptAt());
    }

    @Test
    void aDeferredRecipientIsDueWhenDeliveryPromisedWithoutAskingForThePolicy() {
        Instant promised = T0.plus(Duration.ofMinutes(7)).plusMillis(123);
        assertEquals(promised, RoutingDecisions.deferredDueAt(promised, T0, T0, 1,
                () -> fail("the promised instant needs no policy"), UNKNOWN_RETRY));
    }

    @Test
    void anOlderDeferredRecordIsDueByTheRetryScheduleOfThePolicyInForce() {
        Instant deferredAt = T0.plus(Duration.ofHours(1));
        assertEquals(deferredAt.plus(Duration.ofMinutes(30)),
                RoutingDecisions.deferredDueAt(null, T0, deferredAt, 2, () -> Optional.of(DEFAULT), UNKNOWN_RETRY));
        assertEquals(deferredAt.plus(UNKNOWN_RETRY),
                RoutingDecisions.deferredDueAt(null, T0, deferredAt, 2, Optional::empty, UNKNOWN_RETRY));
    }
}
