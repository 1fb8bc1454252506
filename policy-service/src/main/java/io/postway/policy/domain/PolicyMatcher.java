package io.postway.policy.domain;

import java.util.Collection;
import java.util.Set;

/**
 * Decides which rule applies to a recipient domain: the exact rule, else the wildcard naming the
 * longest suffix of the domain ({@code *.mail.fabrikam.com} before {@code *.fabrikam.com}), else
 * {@code default}. A wildcard covers subdomains only, never the domain it names (as in Postfix's
 * {@code .domain} table entries without {@code parent_domain_matches_subdomains}).
 */
public final class PolicyMatcher {

    private PolicyMatcher() {
    }

    /** @param domain a canonical domain ({@link RuleName#normalizeDomain}); @param rules existing rule names */
    public static String match(String domain, Collection<String> rules) {
        Set<String> names = rules instanceof Set<String> set ? set : Set.copyOf(rules);
        if (names.contains(domain)) {
            return domain;
        }
        // walking from the longest parent to the shortest makes the first hit the most specific
        int dot = domain.indexOf('.');
        while (dot >= 0) {
            String parent = domain.substring(dot + 1);
            if (names.contains("*." + parent)) {
                return "*." + parent;
            }
            dot = domain.indexOf('.', dot + 1);
        }
        return RuleName.DEFAULT;
    }
}
