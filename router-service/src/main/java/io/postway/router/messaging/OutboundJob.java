package io.postway.router.messaging;

import io.postway.router.domain.EffectivePolicy;
import io.postway.router.domain.PolicyRule;

import java.time.Instant;
import java.util.List;

/** {@code mail.outbound} (router to delivery), key = recipient domain (lower-case A-label). */
public record OutboundJob(String jobId, String messageId, String domain, String from, List<String> recipients,
                          int attempt, Instant submittedAt, String content, Policy policy) {

    /** The effective policy in force when the job was routed; rule/version name the matching rule. */
    public record Policy(String rule, long version, PolicyRule.Tls tls, PolicyRule.Auth auth, PolicyRule.Route route,
                         PolicyRule.Limits limits, PolicyRule.Retry retry) {

        public static Policy of(EffectivePolicy p) {
            return new Policy(p.rule(), p.version(), p.tls(), p.auth(), p.route(), p.limits(), p.retry());
        }
    }
}
