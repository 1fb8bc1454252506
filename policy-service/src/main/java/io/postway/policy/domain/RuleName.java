package io.postway.policy.domain;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The name of a rule: {@code default}, an exact domain ({@code fabrikam.com}) or a wildcard for the
 * subdomains of one ({@code *.fabrikam.com}). Names are kept lower-case with IDNs as A-labels, so
 * {@code *.Bücher.example} and {@code *.xn--bcher-kva.example} are the same rule.
 */
public record RuleName(String value, Kind kind) {

    public static final String DEFAULT = "default";

    public enum Kind { DEFAULT, EXACT, WILDCARD }

    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

    /** Parses a rule name as a person types it; empty when it is no valid rule. */
    public static Optional<RuleName> parse(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String s = raw.trim();
        if (s.equalsIgnoreCase(DEFAULT)) {
            return Optional.of(new RuleName(DEFAULT, Kind.DEFAULT));
        }
        if (s.startsWith("*.")) {
            return normalizeDomain(s.substring(2), 1).map(d -> new RuleName("*." + d, Kind.WILDCARD));
        }
        return normalizeDomain(s, 2).map(d -> new RuleName(d, Kind.EXACT));
    }

    /**
     * A mail domain in canonical form (lower-case A-labels, no trailing dot); empty when it is not a
     * host name of at least {@code minLabels} labels.
     */
    public static Optional<String> normalizeDomain(String raw, int minLabels) {
        if (raw == null || raw.isBlank() || raw.length() > 253 * 4) {
            return Optional.empty();
        }
        String s = raw.trim();
        if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        String ascii;
        try {
            ascii = IDN.toASCII(s.toLowerCase(Locale.ROOT), IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (ascii.isEmpty() || ascii.length() > 253) {
            return Optional.empty();
        }
        String[] labels = ascii.split("\\.", -1);
        if (labels.length < minLabels) {
            return Optional.empty();
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return Optional.empty();
            }
        }
        // an all-numeric last label is an IP address, not a mail domain a rule could name
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        return Optional.of(ascii);
    }

    public boolean isDefault() {
        return kind == Kind.DEFAULT;
    }

    @Override
    public String toString() {
        return value;
    }
}
