package io.postway.policy.api;

import io.postway.contract.policy.AuthMethod;
import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.policy.PolicyResolution;
import io.postway.contract.policy.PolicyRule;

import io.postway.policy.infra.ProbeRepository;

import java.time.Instant;
import java.util.List;
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

    /**
     * A rule as stored: fields a domain rule leaves to {@code default} are {@code null}. {@code review}
     * is set on a rule that weakens TLS below default (null otherwise).
     */
    public record Rule(String rule, long version, PolicyRule.Tls tls, AuthView auth, PolicyRule.Route route,
                       PolicyRule.Limits limits, PolicyRule.Retry retry, Instant updatedAt, String updatedBy, Review review) {
        public static Rule of(PolicyRule r, ProbeRepository.ReviewRow review) {
            return new Rule(r.rule(), r.version(), r.tls(), AuthView.of(r.auth(), r.passwordSet()), r.route(), r.limits(), r.retry(),
                    r.updatedAt(), r.updatedBy(), Review.of(review));
        }
    }

    /**
     * Insecure overrides are temporary: when the rule is due for review, what it weakens, the latest
     * re-probe of the domain and, when that probe showed the remote fixed, the note saying so
     * ("fabrikam.com now accepts TLSv1.2: this override can go").
     */
    public record Review(Instant due, boolean overdue, List<String> weakens, String lastProbeId, Instant lastProbeAt,
                         Instant remoteFixedAt, String note) {
        static Review of(ProbeRepository.ReviewRow r) {
            return r == null ? null : new Review(r.dueAt(), r.dueAt().isBefore(Instant.now()), r.weakens(),
                    r.lastProbeId() == null ? null : r.lastProbeId().toString(), r.lastProbeAt(), r.fixedAt(), r.fixedNote());
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
