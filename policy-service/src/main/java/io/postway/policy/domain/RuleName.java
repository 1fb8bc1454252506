package io.postway.policy.domain;

import io.postway.contract.policy.Domains;
import io.postway.contract.policy.PolicyRule;

import java.util.Optional;

/**
 * The name of a rule: {@code default}, an exact domain ({@code fabrikam.com}) or a wildcard for the
 * subdomains of one ({@code *.fabrikam.com}). The domain part is in the contract's one canonical
 * form ({@link Domains}: lower-case, IDNs as A-labels), so {@code *.Bücher.example} and {@code
 * *.xn--bcher-kva.example} are the same rule.
 */
public record RuleName(String value, Kind kind) {

    public enum Kind { DEFAULT, EXACT, WILDCARD }

    /** Parses a rule name as a person types it; empty when it is no valid rule. */
    public static Optional<RuleName> parse(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String s = raw.trim();
        if (s.equalsIgnoreCase(PolicyRule.DEFAULT)) {
            return Optional.of(new RuleName(PolicyRule.DEFAULT, Kind.DEFAULT));
        }
        if (s.startsWith("*.")) {
            // the suffix of a wildcard may be a single label: *.com covers every .com domain
            return domain(s.substring(2), 1).map(d -> new RuleName("*." + d, Kind.WILDCARD));
        }
        return domain(s, 2).map(d -> new RuleName(d, Kind.EXACT));
    }

    private static Optional<String> domain(String raw, int minLabels) {
        return Optional.ofNullable(Domains.parse(raw, minLabels).domain());
    }

    public boolean isDefault() {
        return kind == Kind.DEFAULT;
    }

    @Override
    public String toString() {
        return value;
    }
}
