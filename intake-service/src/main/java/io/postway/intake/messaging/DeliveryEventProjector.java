package io.postway.intake.messaging;

import io.postway.contract.Topics;
import io.postway.contract.event.DeliveryEvent;
import io.postway.contract.json.ContractJson;
import io.postway.intake.domain.RecipientStatus;
import io.postway.intake.infra.StatusRepository;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Instant;

/**
 * Reads {@code mail.delivery-events} (consumer group {@code intake-status-projection}) as the
 * contract's {@link DeliveryEvent} into the status projection; the row keeps the event's {@code data}
 * in the contract's JSON. The offset is committed only after the row is written (the method
 * returns); a record that is no delivery event is skipped, a database that stays down stops the
 * channel (failure-strategy=fail) so readiness reports it instead of losing events.
 */
@ApplicationScoped
public class DeliveryEventProjector {

    /** {@code Topics.channel(Topics.DELIVERY_EVENTS)}: an annotation needs a constant (ChannelsTest holds them equal). */
    static final String CHANNEL = "mail-delivery-events";

    private static final Logger LOG = Logger.getLogger(DeliveryEventProjector.class);

    @Inject
    StatusRepository repository;

    @Incoming(CHANNEL)
    @Blocking(ordered = true)
    public void project(String value) throws Exception {
        DeliveryEvent event;
        try {
            event = value == null ? null : ContractJson.read(value, DeliveryEvent.class);
        } catch (IllegalArgumentException e) {
            LOG.debugf("skipping a record that is not a delivery event on %s: %s", Topics.DELIVERY_EVENTS, e.getMessage());
            return;
        }
        DeliveryEvent.Data data = event == null ? null : event.data();
        if (data == null || data.messageId() == null || data.recipient() == null) {
            LOG.debugf("skipping a record that is not a delivery event on %s", Topics.DELIVERY_EVENTS);
            return;
        }
        String status = RecipientStatus.statusOf(event.type(), data.status());
        Instant at = data.at() != null ? data.at() : event.time();
        String dataJson = ContractJson.write(data);
        for (int tries = 1; ; tries++) {
            try {
                repository.apply(data.messageId(), data.recipient(), status, data.attempt(), at, dataJson);
                return;
            } catch (SQLException e) {
                if (tries == 5) {
                    throw e;
                }
                LOG.warnf("writing a delivery event failed (try %d): %s", tries, e.getMessage());
                Thread.sleep(200L * tries);
            }
        }
    }
}
