package io.postway.delivery.sts;

import io.postway.contract.event.DeliveryEvent;
import io.postway.contract.event.DeliveryEvent.MtaStsStatus;
import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.policy.MtaStsMode;
import io.postway.contract.policy.PolicyRule;
import io.postway.contract.policy.TlsMode;
import io.postway.contract.policy.TlsVerify;
import io.postway.delivery.domain.Outcome;
import io.postway.delivery.domain.RecipientResult;
import io.postway.delivery.domain.SessionFailure;
import io.postway.delivery.domain.Stage;
import io.vertx.core.Future;

import java.util.List;
import java.util.Locale;

/**
 * THE place where the domain's MTA-STS policy meets the job's rule (RFC 8461 4, 5). Under
 * {@code enforce} with the rule's {@code tls.mtaSts} HONOR: only MX hosts matching the patterns,
 * TLS REQUIRED with verify HOSTNAME and no plaintext fallback, whatever weaker values the rule has
 * (the policy only strengthens). Under {@code testing}: the rule unchanged, the would-be failure
 * recorded. IGNORE: the rule unchanged, and every event says IGNORED with the rule's reason.
 * Smart-host routes are not subject to MTA-STS (the MX hosts are not where the mail goes).
 */
public final class StsDemands {

    private final String domain;
    private final StsLookup lookup;
    private final boolean ignored;
    private final String ignoreReason;

    private StsDemands(String domain, StsLookup lookup, boolean ignored, String ignoreReason) {
        this.domain = domain;
        this.lookup = lookup;
        this.ignored = ignored;
        this.ignoreReason = ignoreReason;
    }

    /** What applies to a job of {@code domain} under {@code p}: discovered unless the route is a smart host. */
    public static Future<StsDemands> discover(MtaStsPolicies policies, String domain, EffectivePolicy p) {
        if (p.route().smartHost() != null) {
            return Future.succeededFuture(new StsDemands(domain, StsLookup.notChecked(
                    "the rule routes through the smart host " + p.route().smartHost() + "; MTA-STS applies to MX delivery only"), false, null));
        }
        boolean ignore = MtaStsMode.of(p.tls()) == MtaStsMode.IGNORE;
        // looked up under IGNORE too, so the event says which policy the rule set aside
        return policies.lookup(domain).map(found -> new StsDemands(domain, found, ignore, p.tls().mtaStsIgnoreReason()));
    }

    /** Demands for a job no look-up was made for (a policy that cannot be applied, a message that cannot go out). */
    public static StsDemands notChecked(String domain, String reason) {
        return new StsDemands(domain, StsLookup.notChecked(reason), false, null);
    }

    public boolean enforces() {
        return !ignored && lookup.status() == MtaStsStatus.ENFORCE;
    }

    /** The rule's TLS settings, strengthened by an enforced policy; never weaker than the rule's. */
    public PolicyRule.Tls tls(PolicyRule.Tls rule) {
        if (!enforces()) {
            return rule;
        }
        return new PolicyRule.Tls(TlsMode.REQUIRED, TlsVerify.HOSTNAME, rule.minVersion(), rule.maxVersion(), false, rule.implicit(),
                rule.mtaSts(), rule.mtaStsIgnoreReason());
    }

    /** Whether mail may go to {@code host} (an MX host, or the domain itself for an implicit MX). */
    public boolean allows(String host) {
        return !enforces() || lookup.policy().matches(host);
    }

    /** Why no host is left once the enforced policy's patterns are applied to {@code hosts}. */
    public SessionFailure noMatchingHost(List<String> hosts) {
        return SessionFailure.of(SessionFailure.Kind.MTA_STS_NO_MATCHING_MX, Stage.CONNECT, domain,
                String.join(", ", hosts) + " against " + String.join(", ", lookup.policy().mx()));
    }

    /** The recipient's result with its {@code mtaSts} report, and the diagnosis saying what the policy did or would have done. */
    public RecipientResult report(RecipientResult r) {
        if (!DeliveryEvent.MtaSts.NOT_CHECKED.equals(r.mtaSts())) {
            return r; // reported already (reportNoMatchingHost)
        }
        if (ignored) {
            String was = lookup.policy() == null ? "" : " (the domain publishes mode " + mode() + ", id " + lookup.policyId() + ")";
            return r.withMtaSts(event(MtaStsStatus.IGNORED, null, "the rule ignores MTA-STS: " + ignoreReason + was), r.diagnosis());
        }
        return switch (lookup.status()) {
            case ENFORCE -> {
                String failure = r.outcome() == Outcome.DELIVERED ? null : causedFailure(r);
                String diagnosis = failure == null || r.diagnosis() == null ? r.diagnosis() : r.diagnosis() + " MTA-STS: " + domain
                        + "'s enforce policy (id " + lookup.policyId() + ") requires TLS with a certificate valid for the MX host (" + failure
                        + "); the rule cannot lower that.";
                yield r.withMtaSts(event(MtaStsStatus.ENFORCE, failure, lookup.reason()), diagnosis);
            }
            case TESTING -> {
                String failure = wouldBeFailure(r);
                String diagnosis = failure == null || r.diagnosis() == null ? r.diagnosis() : r.diagnosis() + " MTA-STS (testing, id "
                        + lookup.policyId() + "): under enforce this attempt would have failed (" + failure + ").";
                yield r.withMtaSts(event(MtaStsStatus.TESTING, failure, lookup.reason()), diagnosis);
            }
            default -> r.withMtaSts(event(lookup.status(), lookup.failure(), lookup.reason()), r.diagnosis());
        };
    }

    /** A recipient deferred because no MX host matches the enforced patterns ({@link #noMatchingHost}). */
    public RecipientResult reportNoMatchingHost(RecipientResult r) {
        return r.withMtaSts(event(MtaStsStatus.ENFORCE, StsFailures.MX_MISMATCH, lookup.reason()), r.diagnosis());
    }

    /** Under enforce: the failure the policy's demands caused (a connection failure or an SMTP reply is not one). */
    private static String causedFailure(RecipientResult r) {
        return r.remote() == null ? null : tlsFailure(r);
    }

    /** Under testing: what enforce would have refused in this attempt. */
    private String wouldBeFailure(RecipientResult r) {
        if (r.remote() == null || r.remote().host() == null) {
            return null;
        }
        if (!lookup.policy().matches(r.remote().host())) {
            return StsFailures.MX_MISMATCH;
        }
        return r.remote().ip() == null || r.stage() == Stage.CONNECT || r.stage() == Stage.GREETING ? null : tlsFailure(r);
    }

    /** No TLS is starttls-not-supported; a certificate the WebPKI refuses (or one not naming the host) says which. */
    private static String tlsFailure(RecipientResult r) {
        if (!r.tls().used()) {
            return r.stage() == Stage.CONNECT || r.stage() == Stage.GREETING ? null : StsFailures.STARTTLS_NOT_SUPPORTED;
        }
        return r.tls().webPkiProblem();
    }

    private DeliveryEvent.MtaSts event(MtaStsStatus status, String failure, String reason) {
        StsPolicy policy = lookup.policy();
        return new DeliveryEvent.MtaSts(status.name(), lookup.policyId(), policy == null ? null : policy.text(),
                policy == null ? List.of() : policy.mx(), failure, reason);
    }

    private String mode() {
        return lookup.policy().mode().name().toLowerCase(Locale.ROOT);
    }
}
