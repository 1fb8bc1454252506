package io.postway.router.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyResolverTest {

    private final PolicyRule def = Policies.defaultRule();

    @Test
    void exactRuleWinsOverWildcardAndDefault() {
        Map<String, PolicyRule> rules = Map.of("default", def,
                "fabrikam.com", Policies.tlsOnly("fabrikam.com", 3, "DISABLED"),
                "*.fabrikam.com", Policies.tlsOnly("*.fabrikam.com", 2, "OPPORTUNISTIC"));
        EffectivePolicy p = PolicyResolver.resolve("fabrikam.com", rules).orElseThrow();
        assertEquals("fabrikam.com", p.rule());
        assertEquals(3, p.version());
        assertEquals("DISABLED", p.tls().mode());
    }

    @Test
    void longestWildcardWinsForSubdomains() {
        Map<String, PolicyRule> rules = Map.of("default", def,
                "*.fabrikam.com", Policies.tlsOnly("*.fabrikam.com", 1, "OPPORTUNISTIC"),
                "*.eu.fabrikam.com", Policies.tlsOnly("*.eu.fabrikam.com", 1, "DISABLED"));
        assertEquals("*.eu.fabrikam.com", PolicyResolver.resolve("mx.eu.fabrikam.com", rules).orElseThrow().rule());
        assertEquals("*.fabrikam.com", PolicyResolver.resolve("us.fabrikam.com", rules).orElseThrow().rule());
    }

    @Test
    void wildcardDoesNotMatchItsApexDomain() {
        Map<String, PolicyRule> rules = Map.of("default", def, "*.fabrikam.com", Policies.tlsOnly("*.fabrikam.com", 1, "DISABLED"));
        assertEquals("default", PolicyResolver.resolve("fabrikam.com", rules).orElseThrow().rule());
    }

    @Test
    void missingFieldsComeFromDefaultAndNameTheirSource() {
        Map<String, PolicyRule> rules = Map.of("default", def, "fabrikam.com", Policies.tlsOnly("fabrikam.com", 3, "OPPORTUNISTIC"));
        EffectivePolicy p = PolicyResolver.resolve("fabrikam.com", rules).orElseThrow();
        assertEquals("OPPORTUNISTIC", p.tls().mode());
        assertEquals("TLSv1.2", p.tls().minVersion());
        assertEquals(Duration.ofDays(2), p.retry().expireAfter());
        assertEquals(25, p.route().port());
        assertEquals("fabrikam.com", p.fieldSources().get("tls.mode"));
        assertEquals("default", p.fieldSources().get("tls.minVersion"));
    }

    @Test
    void policyIsUnknownWithoutDefaultEvenWhenTheDomainHasARule() {
        Map<String, PolicyRule> rules = Map.of("fabrikam.com", Policies.tlsOnly("fabrikam.com", 3, "DISABLED"));
        assertTrue(PolicyResolver.resolve("fabrikam.com", rules).isEmpty());
    }

    @Test
    void domainCredentialsAreNeverMixedWithDefaultCredentials() {
        PolicyRule defWithAuth = new PolicyRule("default", 1L, def.tls(), new PolicyRule.Auth("LOGIN", "relay", "v1:k:AAAA"),
                def.route(), def.limits(), def.retry(), null, null);
        PolicyRule dom = new PolicyRule("fabrikam.com", 1L, null, new PolicyRule.Auth(null, "fab", "v1:k:BBBB"), null, null, null, null, null);
        EffectivePolicy p = PolicyResolver.resolve("fabrikam.com", Map.of("default", defWithAuth, "fabrikam.com", dom)).orElseThrow();
        assertEquals("LOGIN", p.auth().method());
        assertEquals("fab", p.auth().username());
        assertEquals("v1:k:BBBB", p.auth().passwordEncrypted());
    }

    @Test
    void retryIntervalsComeWholeFromOneRule() {
        PolicyRule dom = new PolicyRule("fabrikam.com", 1L, null, null, null, null,
                new PolicyRule.Retry(List.of(Duration.ofMinutes(1)), null), null, null);
        EffectivePolicy p = PolicyResolver.resolve("fabrikam.com", Map.of("default", def, "fabrikam.com", dom)).orElseThrow();
        assertEquals(List.of(Duration.ofMinutes(1)), p.retry().intervals());
        assertEquals(Duration.ofDays(2), p.retry().expireAfter());
    }
}
