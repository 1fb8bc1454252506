package io.postway.delivery.messaging;

import io.postway.delivery.domain.DeliveryPolicy;
import io.postway.delivery.domain.Outcome;
import io.postway.delivery.domain.RetrySchedule;
import io.postway.delivery.infra.RecipientResult;

import java.time.Instant;
import java.util.UUID;

/** Builds the contract's event for one recipient's outcome. */
public final class DeliveryEvents {

    private DeliveryEvents() {
    }

    public static DeliveryEvent of(OutboundJob job, RecipientResult r, String source, Instant at) {
        DeliveryPolicy p = job.policy();
        Instant next = r.outcome() == Outcome.DEFERRED
                ? RetrySchedule.nextAttemptAt(at, job.attempt(), p.retry() == null ? null : p.retry().intervals()) : null;
        var reply = r.reply();
        var smtp = new DeliveryEvent.Smtp(reply == null ? null : reply.code(), reply == null ? null : reply.enhancedCode(),
                reply == null ? null : reply.text(), r.stage().name());
        var remote = r.remote() == null ? new DeliveryEvent.Remote(null, null, null, null)
                : new DeliveryEvent.Remote(r.remote().host(), r.remote().ip(), r.remote().port(), r.remote().via().name());
        var t = r.tls();
        var tls = new DeliveryEvent.Tls(t.used(), t.protocol(), t.cipher(), t.verified(), t.peerSubject(), t.peerIssuer(),
                t.peerNotAfter(), r.fellBackToPlaintext());
        var policy = new DeliveryEvent.Policy(p.rule(), p.version(), p.tls().mode().name(),
                p.tls().verify() == null ? null : p.tls().verify().name(), p.tls().minVersion(), p.tls().maxVersion());
        var data = new DeliveryEvent.Data(job.messageId(), r.recipient(), job.domain(), r.outcome().name(), job.attempt(),
                smtp, remote, tls, policy, r.diagnosis(), next, job.submittedAt(), at, r.transcript());
        return new DeliveryEvent("1.0", UUID.randomUUID().toString(), source, r.outcome().eventType(), at,
                r.recipient(), "application/json", data);
    }
}
