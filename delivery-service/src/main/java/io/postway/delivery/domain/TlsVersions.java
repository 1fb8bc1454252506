package io.postway.delivery.domain;

import io.postway.contract.policy.TlsVersion;

import java.util.List;

/**
 * The protocol names (as the JDK spells them) a session offers: the policy's {@code minVersion}..
 * {@code maxVersion}. A job's policy is complete (deploy/docs/contract.md, mail.outbound; a job
 * whose policy lacks a bound is deferred as POLICY_UNUSABLE before any session), so there is no default here.
 */
public final class TlsVersions {

    private TlsVersions() {
    }

    /** @throws IllegalArgumentException when the policy's minimum is above its maximum */
    public static List<String> between(TlsVersion min, TlsVersion max) {
        if (min.compareTo(max) > 0) {
            throw new IllegalArgumentException("minVersion " + min + " is above maxVersion " + max);
        }
        return List.of(TlsVersion.range(min, max));
    }

    public static String label(TlsVersion min, TlsVersion max) {
        List<String> range = between(min, max);
        return range.size() == 1 ? range.get(0) : range.get(0) + "-" + range.get(range.size() - 1);
    }
}
