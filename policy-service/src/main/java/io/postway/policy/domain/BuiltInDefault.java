package io.postway.policy.domain;

import io.postway.contract.policy.AuthMethod;
import io.postway.contract.policy.DaneMode;
import io.postway.contract.policy.MtaStsMode;
import io.postway.contract.policy.PolicyRule;
import io.postway.contract.policy.TlsMode;
import io.postway.contract.policy.TlsVerify;
import io.postway.contract.policy.TlsVersion;

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

    /** The local catcher unless {@code POSTWAY_LOCAL_SMART_HOST} says otherwise; empty means MX routing. */
    public static final String LOCAL_CATCHER = "127.0.0.1:2525";

    /** @param envValue {@code POSTWAY_LOCAL_SMART_HOST}, null when unset; @return null for MX routing */
    public static String localSmartHost(String envValue) {
        if (envValue == null) {
            return LOCAL_CATCHER;
        }
        return envValue.isBlank() ? null : envValue.trim();
    }

    /** @param smartHost the local stack's catcher, or null for plain MX routing */
    public static PolicyRule create(String smartHost, Instant at, String by) {
        return new PolicyRule(PolicyRule.DEFAULT, 1,
                new PolicyRule.Tls(TlsMode.REQUIRED, TlsVerify.NONE, TlsVersion.TLS_1_2, TlsVersion.TLS_1_3, false, false,
                        DaneMode.OPPORTUNISTIC, MtaStsMode.HONOR, null),
                new PolicyRule.Auth(AuthMethod.NONE, null, null),
                new PolicyRule.Route(smartHost, 25),
                new PolicyRule.Limits(20, 100),
                new PolicyRule.Retry(List.of(Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(4)),
                        Duration.ofDays(2)),
                at, by);
    }
}
