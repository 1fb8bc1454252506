package io.postway.policy.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Merges a rule over {@code default} field by field: a field the rule sets wins, every other comes
 * from {@code default} as it is now. This is the same merge the router does with the topic's values.
 */
public final class PolicyMerger {

    private PolicyMerger() {
    }

    public static EffectivePolicy effective(String domain, PolicyRule matched, PolicyRule defaults) {
        PolicyRule merged = merge(matched, defaults);
        return new EffectivePolicy(domain, merged, defaults.version(), sources(matched, defaults));
    }

    public static PolicyRule merge(PolicyRule rule, PolicyRule d) {
        if (rule.rule().equals(d.rule())) {
            return rule;
        }
        var t = rule.tls();
        var dt = d.tls();
        var tls = new PolicyRule.Tls(or(t.mode(), dt.mode()), or(t.verify(), dt.verify()),
                or(t.minVersion(), dt.minVersion()), or(t.maxVersion(), dt.maxVersion()),
                or(t.fallbackToPlaintext(), dt.fallbackToPlaintext()), or(t.implicit(), dt.implicit()));
        var a = rule.auth();
        var da = d.auth();
        var auth = new PolicyRule.Auth(or(a.method(), da.method()), or(a.username(), da.username()),
                or(a.passwordEncrypted(), da.passwordEncrypted()));
        var route = new PolicyRule.Route(or(rule.route().smartHost(), d.route().smartHost()),
                or(rule.route().port(), d.route().port()));
        var limits = new PolicyRule.Limits(or(rule.limits().maxConnections(), d.limits().maxConnections()),
                or(rule.limits().messagesPerConnection(), d.limits().messagesPerConnection()));
        var retry = new PolicyRule.Retry(or(rule.retry().intervals(), d.retry().intervals()),
                or(rule.retry().expireAfter(), d.retry().expireAfter()));
        return new PolicyRule(rule.rule(), rule.version(), tls, auth, route, limits, retry,
                rule.updatedAt(), rule.updatedBy());
    }

    /** For each field path, the rule whose value the merge takes. */
    public static Map<String, String> sources(PolicyRule rule, PolicyRule defaults) {
        Map<String, String> sources = new LinkedHashMap<>();
        for (PolicyFields.Field f : PolicyFields.ALL) {
            sources.put(f.path(), f.get().apply(rule) != null ? rule.rule() : defaults.rule());
        }
        return sources;
    }

    private static <T> T or(T own, T fallback) {
        return own != null ? own : fallback;
    }
}
