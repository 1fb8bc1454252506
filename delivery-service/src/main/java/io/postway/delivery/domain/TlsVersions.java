package io.postway.delivery.domain;

import io.postway.contract.policy.TlsVersion;

import java.util.List;

/**
 * The protocol names (as the JDK spells them) a session offers: the policy's {@code minVersion}..
 * {@code maxVersion}, TLSv1.2..TLSv1.3 where the policy leaves a bound unset.
 */
public final class TlsVersions {

    private TlsVersions() {
    }

    /** @throws IllegalArgumentException when the policy's minimum is above its maximum */
    public static List<String> between(TlsVersion min, TlsVersion max) {
        TlsVersion from = min == null ? TlsVersion.TLS_1_2 : min;
        TlsVersion to = max == null ? TlsVersion.TLS_1_3 : max;
        if (from.compareTo(to) > 0) {
            throw new IllegalArgumentException("minVersion " + from + " is above maxVersion " + to);
        }
        return List.of(TlsVersion.range(from, to));
    }

    public static String label(TlsVersion min, TlsVersion max) {
        List<String> range = between(min, max);
        return range.size() == 1 ? range.get(0) : range.get(0) + "-" + range.get(range.size() - 1);
    }
}
