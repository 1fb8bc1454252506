package io.postway.policy.domain;

import io.postway.contract.policy.AuthMethod;
import io.postway.contract.policy.DaneMode;
import io.postway.contract.policy.MtaStsMode;
import io.postway.contract.policy.PolicyFields;
import io.postway.contract.policy.PolicyResolution;
import io.postway.contract.policy.PolicyResolver;
import io.postway.contract.policy.PolicyRule;
import io.postway.contract.policy.TlsMode;
import io.postway.contract.policy.TlsVerify;
import io.postway.contract.policy.TlsVersion;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyValidatorTest {

    static final PolicyRule DEFAULT = BuiltInDefault.create(null, Instant.EPOCH, "system");

    static PolicyRule domain(PolicyRule.Tls tls, PolicyRule.Auth auth) {
        return new PolicyRule("fabrikam.com", 0, tls, auth, null, null, null, null, null);
    }

    static PolicyRule.Tls tls(TlsMode mode, TlsVersion min, TlsVersion max, Boolean fallback, Boolean implicit) {
        return new PolicyRule.Tls(mode, null, min, max, fallback, implicit);
    }

    static List<String> fields(List<FieldError> errors) {
        return errors.stream().map(FieldError::field).toList();
    }

    @Test
    void theBuiltInDefaultIsValidAndComplete() {
        assertEquals(List.of(), PolicyValidator.validate(DEFAULT, null));
    }

    @Test
    void requiredDaneNeedsTlsAndOpportunisticOrOffDaneIsAcceptedWithAnyMode() {
        var errors = PolicyValidator.validate(domain(new PolicyRule.Tls(TlsMode.DISABLED, null, null, null, null, null, DaneMode.REQUIRED, null, null),
                null), DEFAULT);
        assertEquals(List.of("tls.dane"), fields(errors));
        assertTrue(errors.get(0).message().contains("DISABLED"), errors.get(0).message());
        for (DaneMode mode : List.of(DaneMode.OPPORTUNISTIC, DaneMode.OFF)) {
            assertEquals(List.of(), PolicyValidator.validate(domain(new PolicyRule.Tls(TlsMode.DISABLED, null, null, null, null, null, mode, null, null),
                    null), DEFAULT));
        }
        assertEquals(DaneMode.OPPORTUNISTIC, DEFAULT.tls().dane(), "the built-in default sets tls.dane");
    }

    @Test
    void daneOffBelowTheDefaultsIsAWeakeningUnderReview() {
        var off = domain(new PolicyRule.Tls(null, null, null, null, null, null, DaneMode.OFF, null, null), null);
        assertEquals(List.of("tls.dane OFF (default OPPORTUNISTIC)"), OverrideReview.weakenings(off, DEFAULT));
        var required = domain(new PolicyRule.Tls(null, null, null, null, null, null, DaneMode.REQUIRED, null, null), null);
        assertEquals(List.of(), OverrideReview.weakenings(required, DEFAULT));
    }

    @Test
    void ignoringMtaStsNeedsAReasonAndAReasonNeedsIgnore() {
        var ignore = new PolicyRule.Tls(null, null, null, null, null, null, null, MtaStsMode.IGNORE, null);
        assertEquals(List.of("tls.mtaStsIgnoreReason"), fields(PolicyValidator.validate(domain(ignore, null), DEFAULT)));
        var reasonAlone = new PolicyRule.Tls(null, null, null, null, null, null, null, null, "their policy host is down");
        assertEquals(List.of("tls.mtaStsIgnoreReason"), fields(PolicyValidator.validate(domain(reasonAlone, null), DEFAULT)));
        var withReason = new PolicyRule.Tls(null, null, null, null, null, null, null, MtaStsMode.IGNORE, "their policy host is down");
        assertEquals(List.of(), PolicyValidator.validate(domain(withReason, null), DEFAULT));
        var merged = PolicyResolver.merge("fabrikam.com", domain(withReason, null), DEFAULT);
        assertEquals(MtaStsMode.IGNORE, merged.policy().tls().mtaSts());
        assertEquals("their policy host is down", merged.policy().tls().mtaStsIgnoreReason());
        assertEquals("fabrikam.com", merged.sources().get("tls.mtaStsIgnoreReason"));
    }

    @Test
    void fallbackInheritingRequiredIsRefusedNamingBothRules() {
        var errors = PolicyValidator.validate(domain(tls(null, null, null, true, null), null), DEFAULT);
        assertEquals(List.of("tls.fallbackToPlaintext"), fields(errors));
        String message = errors.get(0).message();
        assertTrue(message.contains("'fabrikam.com'") && message.contains("'default'") && message.contains("REQUIRED"), message);
    }

    @Test
    void fallbackWithOwnOpportunisticIsAccepted() {
        assertEquals(List.of(), PolicyValidator.validate(domain(tls(TlsMode.OPPORTUNISTIC, null, null, true, null), null), DEFAULT));
    }

    @Test
    void minAboveMaxIsRefusedAlsoWhenMaxIsInherited() {
        assertEquals(List.of("tls.minVersion"),
                fields(PolicyValidator.validate(domain(tls(null, TlsVersion.TLS_1_3, TlsVersion.TLS_1_2, null, null), null), DEFAULT)));
        PolicyRule defaultMax12 = new PolicyRule("default", 1, tls(TlsMode.REQUIRED, TlsVersion.TLS_1_0, TlsVersion.TLS_1_2, false, false),
                DEFAULT.auth(), DEFAULT.route(), DEFAULT.limits(), DEFAULT.retry(), null, null);
        var errors = PolicyValidator.validate(domain(tls(null, TlsVersion.TLS_1_3, null, null, null), null),
                new PolicyRule("default", 1, new PolicyRule.Tls(TlsMode.REQUIRED, TlsVerify.NONE, TlsVersion.TLS_1_0, TlsVersion.TLS_1_2, false, false),
                        DEFAULT.auth(), DEFAULT.route(), DEFAULT.limits(), DEFAULT.retry(), null, null));
        assertEquals(List.of("tls.minVersion"), fields(errors));
        assertTrue(defaultMax12.tls().maxVersion() == TlsVersion.TLS_1_2);
    }

    @Test
    void implicitTlsWithDisabledIsRefused() {
        assertEquals(List.of("tls.implicit"),
                fields(PolicyValidator.validate(domain(tls(TlsMode.DISABLED, null, null, null, true), null), DEFAULT)));
    }

    @Test
    void authWithoutCredentialsIsRefused() {
        var errors = PolicyValidator.validate(domain(null, new PolicyRule.Auth(AuthMethod.LOGIN, null, null)), DEFAULT);
        assertEquals(List.of("auth.username", "auth.password"), fields(errors));
        assertEquals(List.of("auth.password"),
                fields(PolicyValidator.validate(domain(null, new PolicyRule.Auth(AuthMethod.PLAIN, "relay", null)), DEFAULT)));
        assertEquals(List.of(),
                PolicyValidator.validate(domain(null, new PolicyRule.Auth(AuthMethod.PLAIN, "relay", "v1:k:x")), DEFAULT));
    }

    /** The contract's merge takes a login whole from one rule, so a rule may not set half of one. */
    @Test
    void aDomainRuleSetsUsernameAndPasswordTogetherOrNeither() {
        assertEquals(List.of("auth.password"),
                fields(PolicyValidator.validate(domain(null, new PolicyRule.Auth(null, "relay", null)), DEFAULT)));
        assertEquals(List.of("auth.username"),
                fields(PolicyValidator.validate(domain(null, new PolicyRule.Auth(null, null, "v1:k:x")), DEFAULT)));
        PolicyRule defaultWithLogin = new PolicyRule("default", 1, DEFAULT.tls(), new PolicyRule.Auth(AuthMethod.PLAIN, "shared", "v1:k:d"),
                DEFAULT.route(), DEFAULT.limits(), DEFAULT.retry(), null, null);
        assertEquals(List.of(), PolicyValidator.validate(defaultWithLogin, null));
        assertEquals(List.of("auth.password"),
                fields(PolicyValidator.validate(domain(null, new PolicyRule.Auth(null, "own", null)), defaultWithLogin)),
                "the default's password never completes a rule's own username");
        assertEquals(List.of(), PolicyValidator.validate(domain(null, null), defaultWithLogin), "no login of its own: the default's");
    }

    @Test
    void credentialsWithAuthNoneAreRefused() {
        assertEquals(List.of("auth.username"),
                fields(PolicyValidator.validate(domain(null, new PolicyRule.Auth(AuthMethod.NONE, "relay", null)), DEFAULT)));
    }

    @Test
    void badLimitsRetryAndRouteAreRefusedByField() {
        PolicyRule r = new PolicyRule("fabrikam.com", 0, null, null, new PolicyRule.Route("bad host", 0),
                new PolicyRule.Limits(0, -1), new PolicyRule.Retry(List.of(Duration.ofMinutes(5), Duration.ZERO), Duration.ofHours(-1)), null, null);
        assertEquals(List.of("route.smartHost", "route.port", "limits.maxConnections", "limits.messagesPerConnection",
                "retry.intervals[1]", "retry.expireAfter"), fields(PolicyValidator.validate(r, DEFAULT)));
    }

    @Test
    void theDefaultMustSetEveryField() {
        PolicyRule partial = new PolicyRule("default", 0, DEFAULT.tls(), DEFAULT.auth(), DEFAULT.route(), null, DEFAULT.retry(), null, null);
        assertEquals(List.of("limits.maxConnections", "limits.messagesPerConnection"), fields(PolicyValidator.validate(partial, null)));
    }

    @Test
    void mergeTakesOwnFieldsAndNamesTheSourceOfEach() {
        PolicyRule fabrikam = domain(tls(TlsMode.DISABLED, null, null, null, null), null);
        PolicyResolution e = PolicyResolver.merge("fabrikam.com", fabrikam, DEFAULT);
        assertEquals(TlsMode.DISABLED, e.policy().tls().mode());
        assertEquals(TlsVersion.TLS_1_2, e.policy().tls().minVersion());
        assertEquals(25, e.policy().route().port());
        assertEquals("fabrikam.com", e.sources().get("tls.mode"));
        assertEquals("default", e.sources().get("tls.minVersion"));
        assertEquals(PolicyFields.ALL.size(), e.sources().size());
    }

    @Test
    void historyDiffNeverShowsThePassword() {
        PolicyRule before = domain(null, new PolicyRule.Auth(AuthMethod.PLAIN, "relay", "v1:k:AAAA"));
        PolicyRule after = domain(null, new PolicyRule.Auth(AuthMethod.PLAIN, "relay", "v1:k:BBBB"));
        var changes = PolicyDiff.between(before, after);
        assertEquals(List.of(new PolicyDiff.Change("auth.password", null, "changed")), changes);
        assertEquals("set", PolicyDiff.between(null, before).stream()
                .filter(c -> c.field().equals("auth.password")).findFirst().orElseThrow().to());
    }
}
