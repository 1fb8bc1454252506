package io.postway.policy.api;

import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.probe.HostProbe;
import io.postway.contract.probe.ProbeAdvice;
import io.postway.contract.probe.ProbeResult;
import io.postway.contract.probe.ProbeStatus;
import io.postway.policy.ProbeService;
import io.postway.policy.infra.ProbeRepository.ProbeRow;

import java.time.Instant;
import java.util.List;

/**
 * A probe as {@code GET /v1/probes/{id}} shows it: delivery's facts per host (the contract's
 * {@link HostProbe}), the domain's published policies (MTA-STS, DANE: {@code NOT_CHECKED} in this
 * version), and, once DONE, the advice drawn from them against the rules in force when it is read:
 * one sentence per host of what mail would meet now, and the strongest policy that delivers as the
 * exact PUT that applies it.
 */
public record ProbeView(String id, String domain, ProbeStatus status, String requestedBy, Instant requestedAt, Instant finishedAt,
                        String failure, PolicyRef probedUnder, List<HostProbe> hosts, ProbeResult.Check mtaSts,
                        ProbeResult.Check dane, Advice advice) {

    /** The effective policy the probe was made under (it decided the hosts and the port). */
    public record PolicyRef(String rule, long version) {
    }

    /**
     * @param policyRule/policyVersion the rule in force for the domain now, which {@code hosts} judge
     * @param mailWouldGoThrough       whether some host would take mail now (delivery tries them in order)
     */
    public record Advice(String policyRule, long policyVersion, boolean mailWouldGoThrough, List<ProbeAdvice.Verdict> hosts,
                         ProbeAdvice.Recommendation recommendation) {
    }

    static ProbeView of(ProbeRow row, ProbeService.Context now) {
        ProbeResult r = row.result();
        Advice advice = null;
        if (r != null && r.status() == ProbeStatus.DONE && now != null) {
            EffectivePolicy p = now.effective().policy();
            advice = new Advice(p.rule(), p.version(), ProbeAdvice.delivers(p, r.hosts()), ProbeAdvice.underPolicy(p, r.hosts()),
                    ProbeAdvice.recommend(row.domain(), now.ownRule(), now.defaults(), p, r.hosts(), r.mtaSts(), r.dane()));
        }
        return new ProbeView(row.id().toString(), row.domain(), row.status(), row.reason(), row.requestedAt(), row.finishedAt(),
                row.failure(), new PolicyRef(row.policy().rule(), row.policy().version()),
                r == null ? List.of() : r.hosts(), r == null ? null : r.mtaSts(), r == null ? null : r.dane(), advice);
    }
}
