package io.postway.router.domain;

import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.policy.PolicyResolution;
import io.postway.contract.policy.PolicyResolver;
import io.postway.contract.policy.PolicyRule;
import io.postway.contract.policy.TlsMode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The router's cases of the contract's {@link PolicyResolver} that the contract module's own
 * PolicyResolverTest does not state (matching, merging and credentials it covers there).
 */
class PolicyResolverTest {

    private final PolicyRule def = Policies.defaultRule();

    @Test
    void policyIsUnknownWithoutDefaultEvenWhenTheDomainHasARule() {
        Map<String, PolicyRule> rules = Map.of("fabrikam.com", Policies.tlsOnly("fabrikam.com", 3, TlsMode.DISABLED));
        assertTrue(PolicyResolver.resolve("fabrikam.com", rules).isEmpty());
    }

    @Test
    void retryIntervalsComeWholeFromOneRule() {
        PolicyRule dom = new PolicyRule("fabrikam.com", 1L, null, null, null, null,
                new PolicyRule.Retry(List.of(Duration.ofMinutes(1)), null), null, null);
        EffectivePolicy p = PolicyResolver.resolve("fabrikam.com", Map.of("default", def, "fabrikam.com", dom))
                .map(PolicyResolution::policy).orElseThrow();
        assertEquals(List.of(Duration.ofMinutes(1)), p.retry().intervals());
        assertEquals(Duration.ofDays(2), p.retry().expireAfter());
    }
}
