package io.postway.policy;

import io.postway.contract.policy.Domains;
import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.policy.PolicyResolution;
import io.postway.contract.policy.PolicyRule;
import io.postway.contract.probe.ProbeRequest;
import io.postway.contract.probe.ProbeResult;
import io.postway.contract.probe.ProbeStatus;
import io.postway.contract.review.OverrideFixedEvent;
import io.postway.policy.config.PolicyConfig;
import io.postway.policy.domain.OverrideReview;
import io.postway.policy.domain.PolicyException;
import io.postway.policy.infra.PolicyRepository;
import io.postway.policy.infra.ProbeRepository;
import io.postway.policy.infra.ProbeRepository.ProbeRow;
import io.postway.policy.infra.Transactions;
import io.postway.policy.messaging.PolicyReviewPublisher;
import io.postway.policy.messaging.ProbeRequestPublisher;
import io.postway.policy.messaging.ProbeResultReader;
import io.postway.web.ServiceUnavailable;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Domain probes and the review of insecure overrides. A probe is asked of delivery-service over
 * {@code mail.probe-requests} (only delivery opens SMTP connections, with its own DNS, TLS code and
 * trust store) with the domain's effective policy, stored RUNNING, and completed by the answer on
 * {@code mail.probe-results}; one delivery has not answered within the answer timeout ends FAILED.
 * A rule that weakens TLS below default (see {@link OverrideReview}) is re-probed on a schedule,
 * and its review notes when the remote would now take mail without it ("this override can go"),
 * queuing in the same transaction one {@code mail.policy-reviews} event per such finding.
 */
@ApplicationScoped
public class ProbeService {

    private static final Logger LOG = Logger.getLogger(ProbeService.class);
    public static final String REQUESTED_BY_ADMIN = "admin";
    public static final String REQUESTED_BY_REVIEW = "review";

    @Inject
    Transactions transactions;
    @Inject
    PolicyService policies;
    @Inject
    ProbeRequestPublisher requests;
    @Inject
    ProbeResultReader results;
    @Inject
    PolicyConfig config;
    @Inject
    PolicyReviewPublisher reviewEvents;

    private ScheduledExecutorService scheduler;

    void onStart(@Observes StartupEvent event) {
        results.start(this::onResult);
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "policy-override-review");
            t.setDaemon(true);
            return t;
        });
        long every = config.review().checkEvery().toMillis();
        scheduler.scheduleWithFixedDelay(this::reprobeDueQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** Asks delivery to probe the domain under the policy in force now; the row is RUNNING until it answers. */
    public ProbeRow request(String rawDomain, String reason) {
        String domain = Optional.ofNullable(Domains.parse(rawDomain, 2).domain())
                .orElseThrow(() -> new PolicyException.InvalidPolicy("domain", "not a valid mail domain name"));
        EffectivePolicy p = policies.effective(domain).policy();
        // a probe never logs in: the password is not sent to delivery for it
        EffectivePolicy withoutSecret = new EffectivePolicy(p.rule(), p.version(), p.tls(),
                new PolicyRule.Auth(p.auth().method(), p.auth().username(), null), p.route(), p.limits(), p.retry());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        ProbeRow row = new ProbeRow(UUID.randomUUID(), domain, ProbeStatus.RUNNING, reason, now, null, null, withoutSecret, null);
        transactions.inTransaction(tables -> {
            tables.probes().insert(row);
            return null;
        });
        try {
            requests.send(new ProbeRequest(row.id().toString(), domain, now, withoutSecret));
        } catch (IllegalStateException e) {
            transactions.inTransaction(tables -> {
                tables.probes().fail(row.id(), "the probe request could not be sent: " + e.getMessage(), Instant.now());
                return null;
            });
            throw new ServiceUnavailable("Kafka did not take the probe request; try again shortly");
        }
        return row;
    }

    /** Stores delivery's answer (the first one wins) and, for a domain under review, whether the override is still needed. */
    void onResult(ProbeResult result) {
        boolean queued = transactions.inTransaction(tables -> {
            ProbeRepository probes = tables.probes();
            if (!probes.complete(result, Instant.now().truncatedTo(ChronoUnit.MILLIS))) {
                LOG.debugf("ignoring the answer to probe %s: unknown or already ended", result.probeId());
                return false;
            }
            LOG.infof("probe %s of %s: %s (%d host(s))", result.probeId(), result.domain(), result.status(), result.hosts().size());
            return result.status() == ProbeStatus.DONE && review(tables, result);
        });
        if (queued) {
            reviewEvents.nudge();
        }
    }

    /** Records the re-probe on the domain's review; true when it queued a "this override can go" event. */
    private boolean review(PolicyRepository tables, ProbeResult result) {
        Optional<ProbeRepository.ReviewRow> review = tables.probes().review(result.domain());
        Optional<PolicyRule> rule = tables.find(result.domain(), PolicyRepository.LockMode.NONE);
        Optional<PolicyRule> defaults = tables.find(PolicyRule.DEFAULT, PolicyRepository.LockMode.NONE);
        if (review.isEmpty() || rule.isEmpty() || defaults.isEmpty()) {
            return false;
        }
        String note = OverrideReview.fixedNote(result.domain(), rule.get(), defaults.get(), result.hosts()).orElse(null);
        boolean newFinding = note != null && review.get().fixedNote() == null;
        if (newFinding) {
            LOG.warnf("override review: %s", note);
        }
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        tables.probes().reviewProbed(result.domain(), UUID.fromString(result.probeId()), at, note);
        // the event of a finding commits with its note: queued once, when the note first appears
        return newFinding && tables.reviewEvents().enqueue(OverrideFixedEvent.of(new OverrideFixedEvent.Data(result.domain(),
                rule.get().rule(), rule.get().version(), note, result.probeId(),
                result.finishedAt() != null ? result.finishedAt().truncatedTo(ChronoUnit.MILLIS) : at,
                review.get().weakens(), OverrideReview.removal(rule.get()))));
    }

    /** Asks for a re-probe of every exact-domain rule under review whose last probe is older than the re-probe interval. */
    public int reprobeDue() {
        Instant now = Instant.now();
        List<ProbeRepository.ReviewRow> due = transactions.inTransaction(tables -> tables.probes().allReviews()).stream()
                .filter(r -> !r.rule().startsWith("*."))
                .filter(r -> r.lastProbeAt() == null || r.lastProbeAt().isBefore(now.minus(config.review().reprobeEvery())))
                .toList();
        for (ProbeRepository.ReviewRow r : due) {
            ProbeRow row = request(r.rule(), REQUESTED_BY_REVIEW);
            transactions.inTransaction(tables -> {
                tables.probes().reprobeRequested(r.rule(), row.id(), row.requestedAt());
                return null;
            });
        }
        return due.size();
    }

    private void reprobeDueQuietly() {
        try {
            int n = reprobeDue();
            if (n > 0) {
                LOG.infof("asked for the re-probe of %d domain(s) under review", n);
            }
        } catch (RuntimeException e) {
            LOG.warnf("re-probe of overrides under review failed, will retry in %s: %s", config.review().checkEvery(), e.toString());
        }
    }

    public ProbeRow get(UUID id) {
        return transactions.inTransaction(tables -> {
            tables.probes().expire(config.probe().answerTimeout(), Instant.now());
            return tables.probes().find(id);
        }).orElseThrow(() -> new PolicyException.RuleNotFound("no probe " + id));
    }

    public List<ProbeRow> list(String rawDomain, int limit) {
        String domain = Optional.ofNullable(Domains.parse(rawDomain, 2).domain())
                .orElseThrow(() -> new PolicyException.InvalidPolicy("domain", "not a valid mail domain name"));
        return transactions.inTransaction(tables -> {
            tables.probes().expire(config.probe().answerTimeout(), Instant.now());
            return tables.probes().ofDomain(domain, limit);
        });
    }

    /** The rules the advice about a domain is drawn from now: the merged policy, default, and the domain's own rule. */
    public record Context(PolicyResolution effective, PolicyRule defaults, PolicyRule ownRule) {
    }

    public Context context(String domain) {
        Map<String, PolicyRule> rules = policies.list().stream().collect(Collectors.toMap(PolicyRule::rule, Function.identity()));
        PolicyResolution effective = policies.effective(domain);
        PolicyRule matched = rules.get(effective.policy().rule());
        return new Context(effective, rules.get(PolicyRule.DEFAULT), matched == null || matched.isDefault() ? null : matched);
    }
}
