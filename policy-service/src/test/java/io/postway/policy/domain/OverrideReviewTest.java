package io.postway.policy.domain;

import io.postway.contract.policy.PolicyRule;
import io.postway.contract.policy.TlsMode;
import io.postway.contract.policy.TlsVerify;
import io.postway.contract.policy.TlsVersion;
import io.postway.contract.probe.HostProbe;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which rules weaken TLS below default, and when a probe says the override can go. */
class OverrideReviewTest {

    static final PolicyRule DEFAULT = BuiltInDefault.create(null, Instant.EPOCH, "system");

    static PolicyRule rule(PolicyRule.Tls tls) {
        return new PolicyRule("fabrikam.com", 1, tls, null, new PolicyRule.Route(null, 10026), null, null, null, null);
    }

    static HostProbe host(TlsVersion... accepted) {
        List<HostProbe.Handshake> hs = new ArrayList<>();
        for (TlsVersion v : TlsVersion.values()) {
            hs.add(List.of(accepted).contains(v)
                    ? new HostProbe.Handshake(v, true, null, v.wireName(), "C", List.of(), true, null, true)
                    : new HostProbe.Handshake(v, false, "protocol_version", null, null, List.of(), null, null, null));
        }
        return new HostProbe("mx.fabrikam.com", "192.0.2.1", 10026, "MX", false, true, null, "220 hi",
                new HostProbe.Capabilities(true, List.of(), List.of(), null, false, false, false, List.of()), hs);
    }

    @Test
    void disabledLowerVersionsAndPlaintextFallbackWeakenWhileStricterSettingsDoNot() {
        assertEquals(List.of("tls.mode DISABLED (default REQUIRED)"),
                OverrideReview.weakenings(rule(new PolicyRule.Tls(TlsMode.DISABLED, null, null, null, null, null)), DEFAULT));
        assertEquals(List.of("tls.minVersion TLSv1 (default TLSv1.2)"),
                OverrideReview.weakenings(rule(new PolicyRule.Tls(null, TlsVerify.HOSTNAME, TlsVersion.TLS_1_0, null, null, null)), DEFAULT));
        assertEquals(List.of("tls.mode OPPORTUNISTIC (default REQUIRED)", "tls.fallbackToPlaintext true (default false)"),
                OverrideReview.weakenings(rule(new PolicyRule.Tls(TlsMode.OPPORTUNISTIC, null, null, null, true, null)), DEFAULT));
        assertEquals(List.of(), OverrideReview.weakenings(rule(new PolicyRule.Tls(null, TlsVerify.HOSTNAME, TlsVersion.TLS_1_3, null, null, null)), DEFAULT));
        assertEquals(List.of(), OverrideReview.weakenings(DEFAULT, DEFAULT));
        PolicyRule strictDefault = new PolicyRule("default", 2, new PolicyRule.Tls(TlsMode.REQUIRED, TlsVerify.HOSTNAME, TlsVersion.TLS_1_2,
                TlsVersion.TLS_1_3, false, false), DEFAULT.auth(), DEFAULT.route(), DEFAULT.limits(), DEFAULT.retry(), null, null);
        assertEquals(List.of("tls.verify NONE (default HOSTNAME)"),
                OverrideReview.weakenings(rule(new PolicyRule.Tls(null, TlsVerify.NONE, null, null, null, null)), strictDefault));
    }

    @Test
    void theOverrideCanGoOnlyWhenEveryHostTakesMailWithoutIt() {
        PolicyRule tls1 = rule(new PolicyRule.Tls(null, null, TlsVersion.TLS_1_0, null, null, null));
        assertEquals(Optional.empty(), OverrideReview.fixedNote("fabrikam.com", tls1, DEFAULT, List.of(host(TlsVersion.TLS_1_0))));
        assertEquals(Optional.of("fabrikam.com now accepts TLSv1.2: this override can go"),
                OverrideReview.fixedNote("fabrikam.com", tls1, DEFAULT, List.of(host(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3))));
        assertEquals(Optional.empty(), OverrideReview.fixedNote("fabrikam.com", tls1, DEFAULT,
                List.of(host(TlsVersion.TLS_1_3), host(TlsVersion.TLS_1_0))));
    }
}
