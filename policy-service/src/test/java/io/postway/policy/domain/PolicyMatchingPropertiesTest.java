package io.postway.policy.domain;

import io.postway.contract.policy.Domains;
import io.postway.contract.policy.PolicyResolver;
import io.postway.contract.policy.PolicyRule;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties of the contract's one matching ({@link PolicyResolver#matchingRule}) over the rule
 * names policy-service stores: kept here, next to the names' parser, because the domains and
 * wildcards generated are the ones this service accepts ({@link RuleName}, {@link Domains}).
 */
class PolicyMatchingPropertiesTest {

    /** Domains from a small alphabet of labels so that generated rules often overlap the domain. */
    @Provide
    Arbitrary<String> domains() {
        return Arbitraries.of("a", "b", "mail", "fabrikam", "com", "example", "xn--bcher-kva")
                .list().ofMinSize(2).ofMaxSize(5).map(l -> String.join(".", l));
    }

    @Provide
    Arbitrary<Set<String>> ruleSets() {
        Arbitrary<String> rule = Combinators.combine(domains(), Arbitraries.of(true, false))
                .as((d, wildcard) -> wildcard ? "*." + d.substring(d.indexOf('.') + 1) : d);
        return rule.set().ofMaxSize(12).map(s -> {
            Set<String> withDefault = new HashSet<>(s);
            withDefault.add(PolicyRule.DEFAULT);
            return withDefault;
        });
    }

    /** The specification, written the slow obvious way: exact, longest matching wildcard, default. */
    static String oracle(String domain, Set<String> rules) {
        if (rules.contains(domain)) {
            return domain;
        }
        String best = PolicyRule.DEFAULT;
        int bestLength = -1;
        for (String r : rules) {
            if (r.startsWith("*.")) {
                String base = r.substring(2);
                if (domain.endsWith("." + base) && base.length() > bestLength) {
                    best = r;
                    bestLength = base.length();
                }
            }
        }
        return best;
    }

    @Property(tries = 2000)
    void matchesExactThenLongestWildcardThenDefault(@ForAll("domains") String domain, @ForAll("ruleSets") Set<String> rules) {
        assertEquals(oracle(domain, rules), PolicyResolver.matchingRule(domain, rules));
    }

    @Property(tries = 500)
    void anExactRuleAlwaysWinsOverWildcards(@ForAll("domains") String domain, @ForAll("ruleSets") Set<String> rules) {
        Set<String> with = new HashSet<>(rules);
        with.add(domain);
        assertEquals(domain, PolicyResolver.matchingRule(domain, with));
    }

    @Property(tries = 500)
    void aWildcardNeverMatchesTheDomainItNames(@ForAll("domains") String domain) {
        assertEquals(PolicyRule.DEFAULT, PolicyResolver.matchingRule(domain, Set.of("*." + domain, PolicyRule.DEFAULT)));
    }

    @Property(tries = 500)
    void theMatchedRuleIsAlwaysOneOfTheRulesAndCoversTheDomain(@ForAll("domains") String domain,
                                                               @ForAll("ruleSets") Set<String> rules) {
        String matched = PolicyResolver.matchingRule(domain, rules);
        assertTrue(rules.contains(matched));
        assertTrue(matched.equals(PolicyRule.DEFAULT) || matched.equals(domain)
                || (matched.startsWith("*.") && domain.endsWith(matched.substring(1))));
    }

    @Property(tries = 500)
    void matchingIsCaseInsensitiveOnceDomainsAreNormalized(@ForAll("domains") String domain, @ForAll("ruleSets") Set<String> rules) {
        String shouted = domain.toUpperCase(Locale.ROOT);
        String normalized = Domains.normalize(shouted).orElseThrow();
        assertEquals(PolicyResolver.matchingRule(domain, rules), PolicyResolver.matchingRule(normalized, rules));
    }

    @Example
    void deeperWildcardBeatsShallowerOne() {
        Set<String> rules = Set.of("default", "*.fabrikam.com", "*.mail.fabrikam.com");
        assertEquals("*.mail.fabrikam.com", PolicyResolver.matchingRule("mx1.mail.fabrikam.com", rules));
        assertEquals("*.fabrikam.com", PolicyResolver.matchingRule("mail.fabrikam.com", rules));
        assertEquals("default", PolicyResolver.matchingRule("fabrikam.com", rules));
    }
}
