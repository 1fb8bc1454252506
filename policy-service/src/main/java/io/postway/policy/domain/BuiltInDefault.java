package io.postway.policy.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The {@code default} rule a fresh installation starts with: the contract's values, which are the
 * seed's server level (TLS required, anonymous) and the IIS SMTP service's retry schedule.
 */
public final class BuiltInDefault {

    private BuiltInDefault() {
    }

    /** @param smartHost the local stack's catcher, or null for plain MX routing */
    public static PolicyRule create(String smartHost, Instant at, String by) {
        return new PolicyRule(RuleName.DEFAULT, 1,
                new PolicyRule.Tls(TlsMode.REQUIRED, TlsVerify.NONE, TlsVersion.TLS_1_2, TlsVersion.TLS_1_3, false, false),
                new PolicyRule.Auth(AuthMethod.NONE, null, null),
                new PolicyRule.Route(smartHost, 25),
                new PolicyRule.Limits(20, 100),
                new PolicyRule.Retry(List.of(Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(4)),
                        Duration.ofDays(2)),
                at, by);
    }
}
