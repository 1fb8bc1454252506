package io.postway.router.domain;

import io.postway.contract.policy.AuthMethod;
import io.postway.contract.policy.PolicyRule;
import io.postway.contract.policy.TlsMode;
import io.postway.contract.policy.TlsVerify;
import io.postway.contract.policy.TlsVersion;

import java.time.Duration;
import java.util.List;

/** Rules for tests: a complete default and sparse domain rules. */
final class Policies {

    private Policies() {
    }

    static PolicyRule defaultRule() {
        return new PolicyRule("default", 1L,
                new PolicyRule.Tls(TlsMode.REQUIRED, TlsVerify.NONE, TlsVersion.TLS_1_2, TlsVersion.TLS_1_3, false, false),
                new PolicyRule.Auth(AuthMethod.NONE, null, null),
                new PolicyRule.Route(null, 25),
                new PolicyRule.Limits(20, 100),
                new PolicyRule.Retry(List.of(Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(4)),
                        Duration.ofDays(2)),
                null, "admin");
    }

    static PolicyRule tlsOnly(String rule, long version, TlsMode mode) {
        return new PolicyRule(rule, version, new PolicyRule.Tls(mode, null, null, null, null, null),
                null, null, null, null, null, "admin");
    }
}
