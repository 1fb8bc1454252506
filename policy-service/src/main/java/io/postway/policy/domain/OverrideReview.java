package io.postway.policy.domain;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.policy.PolicyResolver;
import io.postway.contract.policy.PolicyRule;
import io.postway.contract.policy.DaneMode;
import io.postway.contract.policy.TlsMode;
import io.postway.contract.policy.TlsVerify;
import io.postway.contract.probe.HostProbe;
import io.postway.contract.probe.ProbeAdvice;

import io.postway.contract.review.OverrideFixedEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Insecure overrides are temporary: which TLS settings of a rule are weaker than {@code default}'s
 * (such a rule carries a review date), and whether a probe shows the remote fixed, i.e. that the
 * domain would take mail with the rule's TLS settings removed (the rest of the rule, its route for
 * one, kept).
 */
public final class OverrideReview {

    private OverrideReview() {
    }

    /** The rule's TLS settings that are weaker than default's, in words; empty when none is. */
    public static List<String> weakenings(PolicyRule rule, PolicyRule defaults) {
        List<String> out = new ArrayList<>();
        if (rule.isDefault()) {
            return out;
        }
        PolicyRule.Tls t = rule.tls();
        PolicyRule.Tls d = defaults.tls();
        TlsMode mode = t.mode() != null ? t.mode() : d.mode();
        if (mode.compareTo(d.mode()) < 0) {
            out.add("tls.mode " + mode + " (default " + d.mode() + ")");
        }
        if (t.minVersion() != null && t.minVersion().compareTo(d.minVersion()) < 0) {
            out.add("tls.minVersion " + t.minVersion() + " (default " + d.minVersion() + ")");
        }
        TlsVerify verify = t.verify() != null ? t.verify() : d.verify();
        if (mode != TlsMode.DISABLED && verify.compareTo(d.verify()) < 0) {
            out.add("tls.verify " + verify + " (default " + d.verify() + ")");
        }
        if (Boolean.TRUE.equals(t.fallbackToPlaintext()) && !Boolean.TRUE.equals(d.fallbackToPlaintext())) {
            out.add("tls.fallbackToPlaintext true (default false)");
        }
        if (t.dane() != null && daneStrength(t.dane()) < daneStrength(DaneMode.orDefault(d.dane()))) {
            out.add("tls.dane " + t.dane() + " (default " + DaneMode.orDefault(d.dane()) + ")");
        }
        return out;
    }

    /** OFF (no look-up) is weaker than OPPORTUNISTIC, which is weaker than REQUIRED. */
    private static int daneStrength(DaneMode mode) {
        return switch (mode) {
            case OFF -> 0;
            case OPPORTUNISTIC -> 1;
            case REQUIRED -> 2;
        };
    }

    /**
     * "fabrikam.com now accepts TLSv1.2: this override can go" when every host that answered would
     * take mail under the rule without its TLS settings; empty when not (or when no host answered).
     */
    public static Optional<String> fixedNote(String domain, PolicyRule rule, PolicyRule defaults, List<HostProbe> hosts) {
        PolicyRule withoutTls = new PolicyRule(rule.rule(), rule.version(), null, rule.auth(), rule.route(), rule.limits(),
                rule.retry(), rule.updatedAt(), rule.updatedBy());
        EffectivePolicy strict = PolicyResolver.merge(domain, withoutTls, defaults).policy();
        List<HostProbe> answered = hosts.stream().filter(HostProbe::greeted).toList();
        if (answered.isEmpty() || !answered.stream().allMatch(h -> ProbeAdvice.verdict(strict, h).delivers())) {
            return Optional.empty();
        }
        // the lowest version every host now accepts within default's range: the one the override was below
        String how = answered.stream().flatMap(h -> h.acceptedVersions().stream())
                .filter(v -> v.compareTo(strict.tls().minVersion()) >= 0 && v.compareTo(strict.tls().maxVersion()) <= 0)
                .min(Enum::compareTo).map(v -> "accepts " + v.wireName()).orElse("takes mail under the default TLS settings");
        return Optional.of(domain + " now " + how + ": this override can go");
    }

    /**
     * The request that removes the override's TLS settings, leaving the rest of the rule (what
     * {@link #fixedNote} judged): a JSON Merge Patch {@code {"tls": null}} of the version judged, so
     * a rule changed since answers 412 instead of losing that change.
     */
    public static OverrideFixedEvent.Removal removal(PolicyRule rule) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().putNull("tls");
        return new OverrideFixedEvent.Removal("PATCH", "/v1/policies/" + rule.rule(),
                Map.of("Content-Type", "application/merge-patch+json", "If-Match", "\"" + rule.version() + "\""), body);
    }
}
