package io.postway.intake.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.postway.intake.domain.RecipientStatus;
import io.postway.intake.infra.StatusRepository;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Reads {@code mail.delivery-events} (consumer group {@code intake-status-projection}) into the
 * status projection. The offset is committed only after the row is written (the method returns);
 * a record that is no delivery event is skipped, a database that stays down stops the channel
 * (failure-strategy=fail) so readiness reports it instead of losing events.
 */
@ApplicationScoped
public class DeliveryEventProjector {

    private static final Logger LOG = Logger.getLogger(DeliveryEventProjector.class);

    @Inject
    ObjectMapper json;

    @Inject
    StatusRepository repository;

    @Incoming(Topics.MAIL_DELIVERY_EVENTS_CHANNEL)
    @Blocking(ordered = true)
    public void project(String value) throws Exception {
        JsonNode event;
        try {
            event = json.readTree(value);
        } catch (Exception e) {
            LOG.debugf("skipping a record that is not JSON on %s", Topics.MAIL_DELIVERY_EVENTS);
            return;
        }
        JsonNode data = event == null ? null : event.get("data");
        if (data == null || !data.isObject() || !data.path("messageId").isTextual() || !data.path("recipient").isTextual()) {
            LOG.debugf("skipping a record that is not a delivery event on %s", Topics.MAIL_DELIVERY_EVENTS);
            return;
        }
        String status = RecipientStatus.statusOf(event.path("type").asText(null), data.path("status").asText(null));
        Integer attempt = data.path("attempt").isIntegralNumber() ? data.get("attempt").asInt() : null;
        Instant at = instant(data.path("at").asText(null));
        if (at == null) {
            at = instant(event.path("time").asText(null));
        }
        for (int tries = 1; ; tries++) {
            try {
                repository.apply(data.get("messageId").asText(), data.get("recipient").asText(), status, attempt, at, data.toString());
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

    private static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
