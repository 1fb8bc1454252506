package io.postway.policy.api;

import io.postway.contract.policy.AuthMethod;
import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.policy.PolicyResolution;
import io.postway.contract.policy.PolicyRule;

import java.time.Instant;
import java.util.Map;

/**
 * Response forms of the REST API (not the topic's: that is the contract's {@link PolicyRule}): the
 * password is always {@code null}; {@code passwordSet} says whether one is stored.
 */
public final class PolicyView {

    private PolicyView() {
    }

    public record AuthView(AuthMethod method, String username, String password, boolean passwordSet) {
        static AuthView of(PolicyRule.Auth a, boolean passwordSet) {
            return new AuthView(a.method(), a.username(), null, passwordSet);
        }
    }

    /** A rule as stored: fields a domain rule leaves to {@code default} are {@code null}. */
    public record Rule(String rule, long version, PolicyRule.Tls tls, AuthView auth, PolicyRule.Route route,
                       PolicyRule.Limits limits, PolicyRule.Retry retry, Instant updatedAt, String updatedBy) {
        public static Rule of(PolicyRule r) {
            return new Rule(r.rule(), r.version(), r.tls(), AuthView.of(r.auth(), r.passwordSet()), r.route(), r.limits(), r.retry(),
                    r.updatedAt(), r.updatedBy());
        }
    }

    /**
     * The merged policy for a domain: {@code rule}/{@code version} name the matched rule,
     * {@code sources} the rule each field came from.
     */
    public record Effective(String domain, String rule, long version, long defaultVersion, PolicyRule.Tls tls,
                            AuthView auth, PolicyRule.Route route, PolicyRule.Limits limits, PolicyRule.Retry retry,
                            Map<String, String> sources) {
        public static Effective of(PolicyResolution e) {
            EffectivePolicy p = e.policy();
            return new Effective(e.domain(), p.rule(), p.version(), e.defaultVersion(), p.tls(), AuthView.of(p.auth(), p.passwordSet()),
                    p.route(), p.limits(), p.retry(), e.sources());
        }
    }
}
