package io.postway.contract.policy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyResolverTest {

    static final PolicyRule DEFAULT = new PolicyRule("default", 4,
            new PolicyRule.Tls(TlsMode.REQUIRED, TlsVerify.NONE, TlsVersion.TLS_1_2, TlsVersion.TLS_1_3, false, false,
                    DaneMode.OPPORTUNISTIC),
            new PolicyRule.Auth(AuthMethod.PLAIN, "relay", "v1:k:default-secret"),
            new PolicyRule.Route(null, 25), new PolicyRule.Limits(20, 100),
            new PolicyRule.Retry(List.of(Duration.ofMinutes(15)), Duration.ofDays(2)), Instant.EPOCH, "admin");

    static PolicyRule rule(String name, PolicyRule.Tls tls, PolicyRule.Auth auth) {
        return new PolicyRule(name, 2, tls, auth, null, null, null, Instant.EPOCH, "admin");
    }

    @Test
    void theExactRuleWinsOverWildcardsAndWildcardsCoverSubdomainsOnly() {
        Set<String> rules = Set.of("default", "fabrikam.com", "*.fabrikam.com", "*.mail.fabrikam.com");
        assertEquals("fabrikam.com", PolicyResolver.matchingRule("fabrikam.com", rules));
        assertEquals("*.fabrikam.com", PolicyResolver.matchingRule("eu.fabrikam.com", rules));
        assertEquals("*.mail.fabrikam.com", PolicyResolver.matchingRule("a.mail.fabrikam.com", rules));
        assertEquals("*.fabrikam.com", PolicyResolver.matchingRule("mail.fabrikam.com", rules),
                "*.mail.fabrikam.com covers the subdomains of mail.fabrikam.com, not itself");
        assertEquals("default", PolicyResolver.matchingRule("contoso.com", rules));
        assertEquals("default", PolicyResolver.matchingRule("notfabrikam.com", rules));
    }

    @Test
    void fieldsTheRuleLeavesOutComeFromDefaultAndSayWhere() {
        PolicyRule fabrikam = rule("fabrikam.com", new PolicyRule.Tls(TlsMode.DISABLED, null, null, null, null, null), null);
        PolicyResolution r = PolicyResolver.resolve("fabrikam.com", Map.of("default", DEFAULT, "fabrikam.com", fabrikam)).orElseThrow();
        assertEquals(TlsMode.DISABLED, r.policy().tls().mode());
        assertEquals(TlsVersion.TLS_1_2, r.policy().tls().minVersion());
        assertEquals("fabrikam.com", r.policy().rule());
        assertEquals(2, r.policy().version());
        assertEquals(4, r.defaultVersion());
        assertEquals("fabrikam.com", r.sources().get("tls.mode"));
        assertEquals("default", r.sources().get("tls.minVersion"));
        assertEquals(PolicyFields.ALL.stream().map(PolicyFields.Field::path).toList(), List.copyOf(r.sources().keySet()),
                "every field has a source, in the contract's order");
    }

    @Test
    void aRuleWithItsOwnUsernameNeverBorrowsDefaultsPassword() {
        PolicyRule partner = rule("partner.example", null, new PolicyRule.Auth(null, "partner-user", null));
        PolicyResolution r = PolicyResolver.merge("partner.example", partner, DEFAULT);
        assertEquals("partner-user", r.policy().auth().username());
        assertNull(r.policy().auth().passwordEncrypted(), "default's secret belongs to default's username");
        assertEquals(AuthMethod.PLAIN, r.policy().auth().method());
        assertEquals("partner.example", r.sources().get("auth.username"));
        assertEquals("partner.example", r.sources().get("auth.password"));
        assertEquals("default", r.sources().get("auth.method"));
    }

    @Test
    void aRuleWithoutCredentialsTakesBothFromDefault() {
        PolicyResolution r = PolicyResolver.merge("x.example", rule("x.example", null, null), DEFAULT);
        assertEquals("relay", r.policy().auth().username());
        assertEquals("v1:k:default-secret", r.policy().auth().passwordEncrypted());
        assertEquals("default", r.sources().get("auth.password"));
    }

    @Test
    void withoutDefaultThereIsNoPolicy() {
        assertTrue(PolicyResolver.resolve("fabrikam.com", Map.of()).isEmpty());
    }

    @Test
    void aDefaultWrittenBeforeTlsDaneExistedMeansOpportunisticDane() {
        var old = DEFAULT.tls();
        PolicyRule oldDefault = new PolicyRule(PolicyRule.DEFAULT, 1, new PolicyRule.Tls(old.mode(), old.verify(), old.minVersion(),
                old.maxVersion(), old.fallbackToPlaintext(), old.implicit()), DEFAULT.auth(), DEFAULT.route(), DEFAULT.limits(),
                DEFAULT.retry(), null, null);
        assertEquals(DaneMode.OPPORTUNISTIC, PolicyResolver.merge("contoso.com", oldDefault, oldDefault).policy().tls().dane());
        PolicyRule off = rule("fabrikam.com", new PolicyRule.Tls(null, null, null, null, null, null, DaneMode.OFF), null);
        PolicyResolution r = PolicyResolver.merge("fabrikam.com", off, DEFAULT);
        assertEquals(DaneMode.OFF, r.policy().tls().dane());
        assertEquals("fabrikam.com", r.sources().get("tls.dane"));
    }

    @Test
    void defaultMergedOverItselfIsItself() {
        PolicyResolution r = PolicyResolver.merge("contoso.com", DEFAULT, DEFAULT);
        assertEquals(DEFAULT.tls(), r.policy().tls());
        assertEquals(DEFAULT.auth(), r.policy().auth());
        assertTrue(r.sources().values().stream().allMatch("default"::equals));
    }
}
