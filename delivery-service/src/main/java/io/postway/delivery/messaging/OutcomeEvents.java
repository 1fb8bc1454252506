package io.postway.delivery.messaging;

import io.postway.contract.event.DeliveryEvent;
import io.postway.contract.event.DeliveryEvents;
import io.postway.delivery.domain.Outcome;
import io.postway.delivery.domain.RecipientResult;

import java.time.Instant;

/** One recipient's outcome as the contract's event, built with the contract's {@link DeliveryEvents}. */
final class OutcomeEvents {

    static final String SERVICE = "delivery-service";

    private final DeliveryEvents events;

    OutcomeEvents(String instance) {
        this.events = new DeliveryEvents(SERVICE, instance);
    }

    /** {@code nextAttemptAt}: the job's one retry instant, given to deferred recipients only. */
    DeliveryEvent of(OutboundJob job, RecipientResult r, Instant at, Instant nextAttemptAt) {
        var reply = r.reply();
        var smtp = new DeliveryEvent.Smtp(reply == null ? null : reply.code(), reply == null ? null : reply.enhancedCode(),
                reply == null ? null : reply.text(), r.stage().name());
        var remote = r.remote() == null ? DeliveryEvent.Remote.NONE
                : new DeliveryEvent.Remote(r.remote().host(), r.remote().ip(), r.remote().port(), r.remote().via().name());
        var t = r.tls();
        var tls = new DeliveryEvent.Tls(t.used(), t.protocol(), t.cipher(), t.verified(), t.peerSubject(), t.peerIssuer(),
                t.peerNotAfter(), r.fellBackToPlaintext());
        return events.event(r.outcome().eventType(), job.messageId(), r.recipient(), job.domain(), job.attempt(), at)
                .smtp(smtp).remote(remote).tls(tls).policy(job.policyAsReported()).diagnosis(r.diagnosis()).failureType(r.failureType())
                .nextAttemptAt(r.outcome() == Outcome.DEFERRED ? nextAttemptAt : null)
                .submittedAt(job.submittedAt()).transcript(r.transcript()).dane(r.dane()).mtaSts(r.mtaSts())
                .build();
    }
}
