package io.postway.router.domain;

import io.postway.contract.policy.Domains;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Splits an envelope's recipients by domain, the unit of routing (one job per domain).
 *
 * <p>Domains take the contract's one canonical form ({@link Domains}: lower-case, IDNs as A-labels),
 * so {@code Bücher.example} and {@code xn--bcher-kva.example} are one queue. The local part is kept
 * as given: only the receiving host may interpret it (RFC 5321 section 2.4).
 */
public final class RecipientDomains {

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
            Optional<String> domain = Domains.normalize(r.substring(at + 1));
            if (domain.isEmpty()) {
                invalid.add(new Invalid(recipient, notADomain(r.substring(at + 1))));
                continue;
            }
            // the same address twice in one envelope is one delivery
            byDomain.computeIfAbsent(domain.get(), d -> new LinkedHashSet<>()).add(local + "@" + domain.get());
        }
        Map<String, List<String>> result = new TreeMap<>();
        byDomain.forEach((d, rs) -> result.put(d, List.copyOf(rs)));
        return new Grouping(result, List.copyOf(invalid));
    }

    /** Why a recipient whose domain part is {@code rawDomain} cannot be routed (it is no valid domain name). */
    public static String notADomain(String rawDomain) {
        return "its domain '" + rawDomain + "' is not a valid domain name";
    }
}
