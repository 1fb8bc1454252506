package io.postway.policy.api;

import io.postway.contract.probe.ProbeAdvice;
import io.postway.policy.PolicyService;
import io.postway.policy.domain.PolicyException.DefaultBreaksDomains;
import io.postway.web.Problem;

import java.time.Instant;
import java.util.List;

/**
 * The answer of {@code ?dryRun=true} on PUT and PATCH (nothing is stored): the rule as it would be
 * stored, whether it is valid (every error, not a 400), for {@code default} the domain rules it
 * would break, for an exact domain the merged policy and, when the domain has an answered probe,
 * whether mail would go through under it, host by host.
 */
public record DryRunView(boolean dryRun, boolean valid, List<Problem.FieldError> errors, List<DefaultBreaksDomains.Conflict> conflicts,
                         PolicyView.Rule rule, PolicyView.Effective effective, ProbeCheck probe) {

    /** The newest answered probe of the domain, judged under the merged policy the change would make. */
    public record ProbeCheck(String id, Instant finishedAt, boolean mailWouldGoThrough, List<ProbeAdvice.Verdict> hosts) {
    }

    static DryRunView of(PolicyService.DryRun d) {
        List<Problem.FieldError> errors = d.errors().stream().map(e -> new Problem.FieldError(e.field(), e.message())).toList();
        PolicyView.Review review = d.reviewDue() == null ? null
                : new PolicyView.Review(d.reviewDue(), false, d.weakens(), null, null, null, null);
        PolicyView.Rule rule = PolicyView.Rule.of(d.rule(), null);
        rule = new PolicyView.Rule(rule.rule(), rule.version(), rule.tls(), rule.auth(), rule.route(), rule.limits(), rule.retry(),
                rule.updatedAt(), rule.updatedBy(), review);
        ProbeCheck probe = null;
        if (d.probe() != null && d.effective() != null && d.probe().result() != null) {
            var hosts = d.probe().result().hosts();
            var policy = d.effective().policy();
            probe = new ProbeCheck(d.probe().id().toString(), d.probe().finishedAt(), ProbeAdvice.delivers(policy, hosts),
                    ProbeAdvice.underPolicy(policy, hosts));
        }
        return new DryRunView(true, errors.isEmpty() && d.conflicts().isEmpty(), errors, d.conflicts(), rule,
                d.effective() == null ? null : PolicyView.Effective.of(d.effective()), probe);
    }
}
