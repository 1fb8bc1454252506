package io.postway.router.infra;

import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.policy.PolicyResolution;
import io.postway.contract.policy.PolicyResolver;
import io.postway.contract.policy.PolicyRule;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The router's copy of the published policy rules. Fed by mail.policy-changes (every record,
 * in order, tombstones delete) and, while {@code default} is unknown, by policy-service's REST
 * list. Readers see an immutable snapshot, so a change is in force for the very next lookup.
 */
public final class PolicyCache {

    private static final Logger LOG = Logger.getLogger(PolicyCache.class);

    public enum State { LOADING, READY, UNKNOWN_DEFAULT }

    private final AtomicReference<Map<String, PolicyRule>> rules = new AtomicReference<>(Map.of());
    /** The configured policy topic: named as the source of what it gave. */
    private final String topic;
    private final Supplier<List<PolicyRule>> fallback;
    private final Duration fallbackMinInterval;
    private final Clock clock;
    private volatile boolean initialLoadDone;
    private volatile String lastSource = "none";
    private volatile Instant lastChange;
    private volatile Instant lastFallbackCall = Instant.EPOCH;
    private volatile String lastFallbackError;

    public PolicyCache(String topic, Supplier<List<PolicyRule>> fallback, Duration fallbackMinInterval, Clock clock) {
        this.topic = topic;
        this.fallback = fallback;
        this.fallbackMinInterval = fallbackMinInterval;
        this.clock = clock;
    }

    /** A record of the compacted policy topic: the rule as stored, or {@code null} (tombstone) when deleted. */
    public synchronized void applyTopicRecord(String rule, PolicyRule value) {
        Map<String, PolicyRule> next = new HashMap<>(rules.get());
        if (value == null) {
            next.remove(rule);
        } else {
            next.put(rule, value);
        }
        rules.set(Map.copyOf(next));
        lastSource = topic;
        lastChange = clock.instant();
    }

    /** policy-service's list: taken where the topic gave nothing newer. */
    public synchronized void applyPublished(List<PolicyRule> published) {
        Map<String, PolicyRule> next = new HashMap<>(rules.get());
        for (PolicyRule r : published) {
            PolicyRule known = next.get(r.rule());
            if (known == null || known.version() < r.version()) {
                next.put(r.rule(), r);
            }
        }
        rules.set(Map.copyOf(next));
        lastSource = "policy-service REST";
        lastChange = clock.instant();
    }

    public void markInitialLoadDone() {
        initialLoadDone = true;
    }

    public boolean initialLoadDone() {
        return initialLoadDone;
    }

    /**
     * The effective policy for a (canonical) domain now, or empty when it cannot be known (no {@code default},
     * even after asking policy-service): the caller must then hold the mail back.
     */
    public Optional<EffectivePolicy> resolve(String domain) {
        Optional<PolicyResolution> p = PolicyResolver.resolve(domain, rules.get());
        if (p.isEmpty()) {
            askFallback();
            p = PolicyResolver.resolve(domain, rules.get());
        }
        return p.map(PolicyResolution::policy);
    }

    /** Asks policy-service, at most once per {@code fallbackMinInterval}; false when it did not answer. */
    public boolean askFallback() {
        Instant now = clock.instant();
        synchronized (this) {
            if (Duration.between(lastFallbackCall, now).compareTo(fallbackMinInterval) < 0) {
                return false;
            }
            lastFallbackCall = now;
        }
        try {
            applyPublished(fallback.get());
            lastFallbackError = null;
            return true;
        } catch (RuntimeException e) {
            lastFallbackError = e.getMessage();
            LOG.warnf("policy-service fallback failed: %s", e.getMessage());
            return false;
        }
    }

    public State state() {
        if (!initialLoadDone) {
            return State.LOADING;
        }
        return rules.get().containsKey(PolicyRule.DEFAULT) ? State.READY : State.UNKNOWN_DEFAULT;
    }

    public Map<String, PolicyRule> snapshot() {
        return rules.get();
    }

    public String lastSource() {
        return lastSource;
    }

    public Instant lastChange() {
        return lastChange;
    }

    public String lastFallbackError() {
        return lastFallbackError;
    }
}
