package io.postway.router.domain;

import java.net.IDN;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Splits an envelope's recipients by domain, the unit of routing (one job per domain).
 *
 * <p>Domains compare case-insensitively and IDNs as A-labels (RFC 5890), so {@code Bücher.example}
 * and {@code xn--bcher-kva.example} are one queue. The local part is kept as given: only the
 * receiving host may interpret it (RFC 5321 section 2.4).
 */
public final class RecipientDomains {

    /** LDH labels of 1-63 characters, not starting or ending with a hyphen (RFC 1123 section 2.1). */
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private RecipientDomains() {
    }

    public record Invalid(String recipient, String reason) {
    }

    /** Recipients per domain, domains sorted (so jobs come out in a stable order), and those not routable. */
    public record Grouping(Map<String, List<String>> byDomain, List<Invalid> invalid) {
    }

    public static Grouping group(List<String> recipients) {
        Map<String, Set<String>> byDomain = new TreeMap<>();
        List<Invalid> invalid = new ArrayList<>();
        for (String recipient : recipients) {
            String r = recipient == null ? "" : recipient.trim();
            int at = r.lastIndexOf('@');
            if (at <= 0 || at == r.length() - 1) {
                invalid.add(new Invalid(recipient, "it has no domain part"));
                continue;
            }
            String local = r.substring(0, at);
            Optional<String> domain = normalize(r.substring(at + 1));
            if (domain.isEmpty()) {
                invalid.add(new Invalid(recipient, "its domain '" + r.substring(at + 1) + "' is not a valid domain name"));
                continue;
            }
            // the same address twice in one envelope is one delivery
            byDomain.computeIfAbsent(domain.get(), d -> new LinkedHashSet<>()).add(local + "@" + domain.get());
        }
        Map<String, List<String>> result = new TreeMap<>();
        byDomain.forEach((d, rs) -> result.put(d, List.copyOf(rs)));
        return new Grouping(result, List.copyOf(invalid));
    }

    /** The lower-case A-label form of a domain, or empty when it is not a routable domain name. */
    public static Optional<String> normalize(String domain) {
        if (domain == null) {
            return Optional.empty();
        }
        String d = domain.trim();
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        if (d.isEmpty() || d.startsWith("[")) {
            // address literals ([192.0.2.1]) bypass DNS and policy matching; Postway does not route them
            return Optional.empty();
        }
        String ascii;
        try {
            ascii = IDN.toASCII(d, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (ascii.length() > 253) {
            return Optional.empty();
        }
        String[] labels = ascii.split("\\.", -1);
        if (labels.length < 2) {
            return Optional.empty(); // a bare host name is no Internet mail domain
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return Optional.empty();
            }
        }
        return Optional.of(ascii);
    }
}
