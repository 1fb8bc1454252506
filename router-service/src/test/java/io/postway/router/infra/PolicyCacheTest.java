package io.postway.router.infra;

import io.postway.contract.policy.AuthMethod;
import io.postway.contract.policy.PolicyRule;
import io.postway.contract.policy.TlsMode;
import io.postway.contract.policy.TlsVerify;
import io.postway.contract.policy.TlsVersion;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyCacheTest {

    private static PolicyRule rule(String name, long version, TlsMode mode) {
        PolicyRule.Retry retry = name.equals("default")
                ? new PolicyRule.Retry(List.of(Duration.ofMinutes(15)), Duration.ofDays(2)) : null;
        PolicyRule.Tls tls = name.equals("default")
                ? new PolicyRule.Tls(mode, TlsVerify.NONE, TlsVersion.TLS_1_2, TlsVersion.TLS_1_3, false, false)
                : new PolicyRule.Tls(mode, null, null, null, null, null);
        return new PolicyRule(name, version, tls, new PolicyRule.Auth(AuthMethod.NONE, null, null), new PolicyRule.Route(null, 25),
                new PolicyRule.Limits(20, 100), retry, null, null);
    }

    private static final String TOPIC = "test.policy-changes";

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void aTombstoneRemovesTheRuleSoDefaultAppliesAgain() {
        PolicyCache cache = new PolicyCache(TOPIC, List::of, Duration.ofSeconds(2), clock);
        cache.applyTopicRecord("default", rule("default", 1, TlsMode.REQUIRED));
        cache.applyTopicRecord("fabrikam.com", rule("fabrikam.com", 3, TlsMode.DISABLED));
        assertEquals(TlsMode.DISABLED, cache.resolve("fabrikam.com").orElseThrow().tls().mode());
        cache.applyTopicRecord("fabrikam.com", null);
        assertEquals("default", cache.resolve("fabrikam.com").orElseThrow().rule());
    }

    @Test
    void policyServiceAnswersDoNotOverrideNewerTopicRules() {
        PolicyCache cache = new PolicyCache(TOPIC, List::of, Duration.ofSeconds(2), clock);
        cache.applyTopicRecord("default", rule("default", 5, TlsMode.REQUIRED));
        cache.applyPublished(List.of(rule("default", 4, TlsMode.DISABLED), rule("fabrikam.com", 1, TlsMode.OPPORTUNISTIC)));
        assertEquals(TlsMode.REQUIRED, cache.resolve("contoso.com").orElseThrow().tls().mode());
        assertEquals(TlsMode.OPPORTUNISTIC, cache.resolve("fabrikam.com").orElseThrow().tls().mode());
    }

    @Test
    void withoutDefaultTheCacheAsksPolicyServiceAtMostOncePerInterval() {
        AtomicInteger calls = new AtomicInteger();
        PolicyCache cache = new PolicyCache(TOPIC, () -> {
            calls.incrementAndGet();
            throw new IllegalStateException("policy-service down");
        }, Duration.ofSeconds(2), clock);
        cache.markInitialLoadDone();
        assertTrue(cache.resolve("fabrikam.com").isEmpty(), "fail closed");
        assertTrue(cache.resolve("contoso.com").isEmpty());
        assertEquals(1, calls.get());
        assertEquals(PolicyCache.State.UNKNOWN_DEFAULT, cache.state());
        assertEquals("policy-service down", cache.lastFallbackError());
    }

    @Test
    void theFallbackFillsTheCacheWhenTheTopicHadNoDefault() {
        PolicyCache cache = new PolicyCache(TOPIC, () -> List.of(rule("default", 9, TlsMode.OPPORTUNISTIC)), Duration.ofSeconds(2), clock);
        assertEquals(PolicyCache.State.LOADING, cache.state());
        assertEquals(9, cache.resolve("fabrikam.com").orElseThrow().version());
        cache.markInitialLoadDone();
        assertEquals(PolicyCache.State.READY, cache.state());
    }

    @Test
    void theSourceNamedIsTheConfiguredTopicOrPolicyService() {
        PolicyCache cache = new PolicyCache(TOPIC, List::of, Duration.ofSeconds(2), clock);
        assertEquals("none", cache.lastSource());
        cache.applyTopicRecord("default", rule("default", 1, TlsMode.REQUIRED));
        assertEquals(TOPIC, cache.lastSource());
        cache.applyPublished(List.of(rule("fabrikam.com", 1, TlsMode.OPPORTUNISTIC)));
        assertEquals("policy-service REST", cache.lastSource());
    }
}
