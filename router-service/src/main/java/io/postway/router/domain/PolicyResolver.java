package io.postway.router.domain;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which rule applies to a domain, and the merged policy it yields (the contract's "most specific
 * match wins: exact, then the longest wildcard, then default"; missing fields from default).
 *
 * <p>A policy is unknown (empty result) when {@code default} is not known: the router then fails
 * closed rather than guessing values for the fields the domain rule leaves out.
 */
public final class PolicyResolver {

    private PolicyResolver() {
    }

    /** The name of the rule that matches {@code domain} (lower-case A-label), among {@code rules}. */
    public static Optional<String> matchingRule(String domain, Map<String, PolicyRule> rules) {
        String d = domain.toLowerCase(java.util.Locale.ROOT);
        if (rules.containsKey(d) && !PolicyRule.DEFAULT.equals(d)) {
            return Optional.of(d);
        }
        // The longest wildcard is the one with the most labels: walk up from the closest parent.
        int dot = d.indexOf('.');
        while (dot >= 0) {
            String parent = d.substring(dot + 1);
            if (!parent.isEmpty() && rules.containsKey("*." + parent)) {
                return Optional.of("*." + parent);
            }
            dot = d.indexOf('.', dot + 1);
        }
        return rules.containsKey(PolicyRule.DEFAULT) ? Optional.of(PolicyRule.DEFAULT) : Optional.empty();
    }

    /** The effective policy for {@code domain}, or empty when {@code default} is unknown. */
    public static Optional<EffectivePolicy> resolve(String domain, Map<String, PolicyRule> rules) {
        PolicyRule def = rules.get(PolicyRule.DEFAULT);
        if (def == null) {
            return Optional.empty();
        }
        PolicyRule match = matchingRule(domain, rules).map(rules::get).orElse(def);
        return Optional.of(merge(match, def));
    }

    /** Field by field: a non-null field of {@code rule} wins, else {@code def}'s. */
    public static EffectivePolicy merge(PolicyRule rule, PolicyRule def) {
        Map<String, String> sources = new LinkedHashMap<>();
        Merger m = new Merger(rule, def, sources);
        PolicyRule.Tls tls = new PolicyRule.Tls(
                m.pick("tls.mode", r -> r.tls() == null ? null : r.tls().mode()),
                m.pick("tls.verify", r -> r.tls() == null ? null : r.tls().verify()),
                m.pick("tls.minVersion", r -> r.tls() == null ? null : r.tls().minVersion()),
                m.pick("tls.maxVersion", r -> r.tls() == null ? null : r.tls().maxVersion()),
                m.pick("tls.fallbackToPlaintext", r -> r.tls() == null ? null : r.tls().fallbackToPlaintext()),
                m.pick("tls.implicit", r -> r.tls() == null ? null : r.tls().implicit()));
        // A username and its password belong together: taking one from the rule and the other from
        // default would log in with someone else's secret.
        String method = m.pick("auth.method", r -> r.auth() == null ? null : r.auth().method());
        PolicyRule.Auth auth;
        if (rule.auth() != null && (rule.auth().username() != null || rule.auth().passwordEncrypted() != null)) {
            auth = new PolicyRule.Auth(method, rule.auth().username(), rule.auth().passwordEncrypted());
            sources.put("auth.username", rule.rule());
            sources.put("auth.passwordEncrypted", rule.rule());
        } else {
            auth = new PolicyRule.Auth(method,
                    def.auth() == null ? null : def.auth().username(),
                    def.auth() == null ? null : def.auth().passwordEncrypted());
            sources.put("auth.username", def.rule());
            sources.put("auth.passwordEncrypted", def.rule());
        }
        PolicyRule.Route route = new PolicyRule.Route(
                m.pick("route.smartHost", r -> r.route() == null ? null : r.route().smartHost()),
                m.pick("route.port", r -> r.route() == null ? null : r.route().port()));
        PolicyRule.Limits limits = new PolicyRule.Limits(
                m.pick("limits.maxConnections", r -> r.limits() == null ? null : r.limits().maxConnections()),
                m.pick("limits.messagesPerConnection", r -> r.limits() == null ? null : r.limits().messagesPerConnection()));
        PolicyRule.Retry retry = new PolicyRule.Retry(
                m.pick("retry.intervals", r -> r.retry() == null ? null : r.retry().intervals()),
                m.pick("retry.expireAfter", r -> r.retry() == null ? null : r.retry().expireAfter()));
        return new EffectivePolicy(rule.rule(), rule.versionOrZero(), tls, auth, route, limits, retry, Map.copyOf(sources));
    }

    private record Merger(PolicyRule rule, PolicyRule def, Map<String, String> sources) {
        <T> T pick(String field, Function<PolicyRule, T> get) {
            T own = get.apply(rule);
            if (own != null) {
                sources.put(field, rule.rule());
                return own;
            }
            sources.put(field, def.rule());
            return get.apply(def);
        }
    }
}
