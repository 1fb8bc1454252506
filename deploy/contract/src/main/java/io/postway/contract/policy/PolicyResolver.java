package io.postway.contract.policy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one match-and-merge of Postway's policies (policy-service's effective-policy API and the
 * router's routing both call it).
 *
 * <p>Match: the exact rule, else the wildcard naming the longest suffix of the domain ({@code
 * *.mail.fabrikam.com} before {@code *.fabrikam.com}), else {@code default}. A wildcard covers
 * subdomains only, never the domain it names (Postfix's {@code .domain} entries without {@code
 * parent_domain_matches_subdomains}).
 *
 * <p>Merge: field by field, a field the rule sets wins, every other comes from {@code default} as it
 * is now. The exception is the login: a username and its password belong together, so a rule that
 * sets either takes both from itself; taking one from the rule and the other from {@code default}
 * would log in with someone else's secret.
 */
public final class PolicyResolver {

    private PolicyResolver() {
    }

    /** @param domain a canonical domain ({@link Domains}); @return the matching rule's name, {@code default} when no other */
    public static String matchingRule(String domain, Set<String> ruleNames) {
        if (!PolicyRule.DEFAULT.equals(domain) && ruleNames.contains(domain)) {
            return domain;
        }
        // walking from the longest parent to the shortest makes the first hit the most specific
        int dot = domain.indexOf('.');
        while (dot >= 0) {
            String parent = domain.substring(dot + 1);
            if (!parent.isEmpty() && ruleNames.contains("*." + parent)) {
                return "*." + parent;
            }
            dot = domain.indexOf('.', dot + 1);
        }
        return PolicyRule.DEFAULT;
    }

    /**
     * The policy for {@code domain} among {@code rules} (keyed by rule name); empty when {@code
     * default} is not among them: the caller then fails closed rather than guessing the fields a
     * domain rule leaves out.
     */
    public static Optional<PolicyResolution> resolve(String domain, Map<String, PolicyRule> rules) {
        PolicyRule def = rules.get(PolicyRule.DEFAULT);
        if (def == null) {
            return Optional.empty();
        }
        PolicyRule match = rules.getOrDefault(matchingRule(domain, rules.keySet()), def);
        return Optional.of(merge(domain, match, def));
    }

    /** {@code rule} merged over {@code def} (which must be complete). */
    public static PolicyResolution merge(String domain, PolicyRule rule, PolicyRule def) {
        boolean ownLogin = rule.auth().username() != null || rule.auth().passwordEncrypted() != null;
        PolicyRule credentials = ownLogin ? rule : def;
        Map<String, String> sources = new LinkedHashMap<>();
        PolicyRule stsChoice = rule.tls().mtaSts() != null ? rule : def;
        for (PolicyFields.Field f : PolicyFields.ALL) {
            PolicyRule from = PolicyFields.isCredential(f.path()) ? credentials
                    : PolicyFields.isMtaStsChoice(f.path()) ? stsChoice
                    : f.get().apply(rule) != null ? rule : def;
            sources.put(f.path(), from.rule());
        }
        var t = rule.tls();
        var dt = def.tls();
        var tls = new PolicyRule.Tls(or(t.mode(), dt.mode()), or(t.verify(), dt.verify()),
                or(t.minVersion(), dt.minVersion()), or(t.maxVersion(), dt.maxVersion()),
                or(t.fallbackToPlaintext(), dt.fallbackToPlaintext()), or(t.implicit(), dt.implicit()),
                DaneMode.orDefault(or(t.dane(), dt.dane())),
                // the MTA-STS choice and its reason come from one rule (null in both: HONOR, MtaStsMode.of)
                stsChoice.tls().mtaSts(), stsChoice.tls().mtaStsIgnoreReason());
        var auth = new PolicyRule.Auth(or(rule.auth().method(), def.auth().method()),
                credentials.auth().username(), credentials.auth().passwordEncrypted());
        var route = new PolicyRule.Route(or(rule.route().smartHost(), def.route().smartHost()),
                or(rule.route().port(), def.route().port()));
        var limits = new PolicyRule.Limits(or(rule.limits().maxConnections(), def.limits().maxConnections()),
                or(rule.limits().messagesPerConnection(), def.limits().messagesPerConnection()));
        var retry = new PolicyRule.Retry(or(rule.retry().intervals(), def.retry().intervals()),
                or(rule.retry().expireAfter(), def.retry().expireAfter()));
        var policy = new EffectivePolicy(rule.rule(), rule.version(), tls, auth, route, limits, retry);
        return new PolicyResolution(domain, policy, def.version(), Collections.unmodifiableMap(sources));
    }

    private static <T> T or(T own, T fallback) {
        return own != null ? own : fallback;
    }
}
