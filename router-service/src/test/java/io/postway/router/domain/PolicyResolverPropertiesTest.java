package io.postway.router.domain;

import io.postway.contract.policy.Domains;
import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.policy.PolicyResolution;
import io.postway.contract.policy.PolicyResolver;
import io.postway.contract.policy.PolicyRule;
import io.postway.contract.policy.TlsMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties of the contract's {@link PolicyResolver} over random rule sets, kept in the router:
 * the router routes every recipient domain through it, and the contract module's tests state
 * examples only.
 */
class PolicyResolverPropertiesTest {

    @Provide
    Arbitrary<List<String>> labelLists() {
        return Arbitraries.strings().withCharRange('a', 'e').ofMinLength(1).ofMaxLength(3).list().ofMinSize(2).ofMaxSize(5);
    }

    @Provide
    Arbitrary<Map<String, PolicyRule>> ruleSets() {
        Arbitrary<String> rule = Combinators.combine(
                        Arbitraries.of(true, false),
                        Arbitraries.strings().withCharRange('a', 'e').ofMinLength(1).ofMaxLength(3).list().ofMinSize(1).ofMaxSize(4))
                .as((wild, labels) -> (wild ? "*." : "") + String.join(".", labels));
        return rule.list().ofMaxSize(12).map(names -> {
            Map<String, PolicyRule> rules = new HashMap<>();
            rules.put("default", Policies.defaultRule());
            long v = 1;
            for (String n : names) {
                rules.put(n, Policies.tlsOnly(n, v++, TlsMode.DISABLED));
            }
            return rules;
        });
    }

    /** The winner is the most specific rule that covers the domain; no covering rule is more specific. */
    @Property
    void matchIsTheMostSpecificCoveringRule(@ForAll("labelLists") List<String> labels, @ForAll("ruleSets") Map<String, PolicyRule> rules) {
        String domain = String.join(".", labels);
        String match = PolicyResolver.matchingRule(domain, rules.keySet());
        assertTrue(covers(match, domain), match + " does not cover " + domain);
        for (String other : rules.keySet()) {
            if (covers(other, domain)) {
                assertTrue(specificity(other, domain) <= specificity(match, domain),
                        other + " is more specific than " + match + " for " + domain);
            }
        }
    }

    /** The resolver takes canonical domains; the router's canonical form ({@link Domains}) makes matching ignore case. */
    @Property
    void matchingIgnoresCase(@ForAll("labelLists") List<String> labels, @ForAll("ruleSets") Map<String, PolicyRule> rules) {
        String domain = String.join(".", labels);
        String shouted = Domains.normalize(domain.toUpperCase(Locale.ROOT)).orElseThrow();
        assertEquals(PolicyResolver.matchingRule(domain, rules.keySet()), PolicyResolver.matchingRule(shouted, rules.keySet()));
    }

    /** Every field of the effective policy is the matching rule's when it sets it, default's otherwise. */
    @Property
    void everyFieldIsTheRulesOrDefaults(@ForAll("labelLists") List<String> labels, @ForAll("ruleSets") Map<String, PolicyRule> rules) {
        String domain = String.join(".", labels);
        EffectivePolicy p = PolicyResolver.resolve(domain, rules).map(PolicyResolution::policy).orElseThrow();
        PolicyRule matched = rules.get(p.rule());
        PolicyRule def = rules.get("default");
        TlsMode expectedMode = matched.tls().mode() != null ? matched.tls().mode() : def.tls().mode();
        assertEquals(expectedMode, p.tls().mode());
        assertEquals(def.tls().minVersion(), p.tls().minVersion());
        assertEquals(def.retry(), p.retry());
        assertEquals(matched.version(), p.version());
    }

    private static boolean covers(String rule, String domain) {
        if (rule.equals("default")) {
            return true;
        }
        if (rule.startsWith("*.")) {
            return domain.endsWith(rule.substring(1));
        }
        return rule.equals(domain);
    }

    /** exact > wildcard by length > default */
    private static int specificity(String rule, String domain) {
        if (rule.equals("default")) {
            return 0;
        }
        if (rule.startsWith("*.")) {
            return rule.length();
        }
        return Integer.MAX_VALUE;
    }
}
