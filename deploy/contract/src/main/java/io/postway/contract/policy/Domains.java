package io.postway.contract.policy;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one canonical form of a mail domain, used for envelopes, routing keys, rule names and policy
 * matching: lower-case, IDNs as A-labels (RFC 5890, {@code Bücher.example} = {@code
 * xn--bcher-kva.example}), no trailing dot, LDH labels of 1-63 characters (RFC 1123 2.1), at most
 * 253 octets, not ending in an all-numeric label (that is an IP address, not a mail domain) and not
 * an address literal ({@code [192.0.2.1]}: Postway neither routes nor matches those).
 */
public final class Domains {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

    private Domains() {
    }

    /** A parsed domain: exactly one of {@code domain} and {@code problem} is set. */
    public record Parsed(String domain, String problem) {
        public boolean valid() {
            return domain != null;
        }

        static Parsed ok(String domain) {
            return new Parsed(domain, null);
        }

        static Parsed refused(String problem) {
            return new Parsed(null, problem);
        }
    }

    /** The canonical form of a mail domain (at least two labels), or empty when it is none. */
    public static Optional<String> normalize(String raw) {
        return Optional.ofNullable(parse(raw, 2).domain());
    }

    /**
     * Parses a host name of at least {@code minLabels} labels (1 for the suffix of a wildcard rule,
     * {@code *.com}); the problem, when there is one, says what is wrong in words a user can act on.
     */
    public static Parsed parse(String raw, int minLabels) {
        if (raw == null || raw.isBlank()) {
            return Parsed.refused("the domain is empty");
        }
        String s = raw.trim();
        if (s.length() > 253 * 4) {
            return Parsed.refused("the domain is longer than 253 octets");
        }
        if (s.startsWith("[")) {
            return Parsed.refused("domain literals ([address]) are not accepted");
        }
        if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1); // the root label: fabrikam.com. is fabrikam.com
        }
        String ascii;
        try {
            ascii = IDN.toASCII(s.toLowerCase(Locale.ROOT), IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return Parsed.refused("the domain is not a valid internationalized domain name");
        }
        if (ascii.isEmpty() || ascii.length() > 253) {
            return Parsed.refused("the domain is empty or longer than 253 octets");
        }
        String[] labels = ascii.split("\\.", -1);
        if (labels.length < minLabels) {
            return Parsed.refused(minLabels > 1 ? "the domain must be a fully qualified host name" : "the domain is empty");
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return Parsed.refused("the domain label '" + label + "' is not a valid host name label");
            }
        }
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            return Parsed.refused("the domain must not end in a numeric label");
        }
        return Parsed.ok(ascii);
    }
}
