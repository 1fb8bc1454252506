package io.postway.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.postway.intake.api.ClientAuthenticator.Client;
import io.postway.intake.config.IntakeConfig;
import io.postway.intake.domain.Addresses;
import io.postway.intake.domain.ComposedMessage;
import io.postway.intake.domain.FieldError;
import io.postway.intake.domain.MessageComposer;
import io.postway.intake.domain.MessageDraft;
import io.postway.intake.domain.RawMessageReader;
import io.postway.intake.domain.SubmissionRefused;
import io.postway.intake.infra.StatusRepository;
import io.postway.intake.messaging.DeliveryEvent;
import io.postway.intake.messaging.MailPublisher;
import io.postway.intake.messaging.SubmittedMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * intake-service — the front door of Postway.
 *
 * <p>Reads: {@code POST /v1/messages} (JSON, or a complete RFC 5322 message as
 * {@code message/rfc822}) from clients holding a configured key; {@code mail.delivery-events}
 * (group {@code intake-status-projection}) into a PostgreSQL status projection.
 *
 * <p>Writes: one {@code mail.submitted} record per accepted message (key = message id, content
 * base64 inline, CRLF only, no Bcc); one {@code postway.message.accepted} CloudEvent per recipient
 * on {@code mail.delivery-events}; the status projection and Idempotency-Key answers (24 h).
 *
 * <p>Decides: who may submit (client key; sender domains of the key: 403 otherwise, never an open
 * relay), what is a well-formed message (addresses, header injection, line endings, size,
 * recipient count), and answers 202 only after the broker acknowledged the record (acks=all,
 * idempotent producer), 503 when it did not within {@code postway.intake.kafka.ack-timeout}.
 *
 * <p>Delegates: MIME building and parsing to Apache James mime4j; routing, policy and retries to
 * router-service; SMTP to delivery-service.
 */
@ApplicationScoped
public class IntakeService {

    private static final Logger LOG = Logger.getLogger(IntakeService.class);

    /** The result of an accepted submission. */
    public record Accepted(String messageId, int recipients) {
    }

    @Inject
    IntakeConfig config;

    @Inject
    MailPublisher publisher;

    @Inject
    StatusRepository statuses;

    @Inject
    ObjectMapper json;

    public Accepted submitJson(Client client, MessageDraft draft) throws MailPublisher.NotAcknowledged {
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        ComposedMessage m = new MessageComposer(config.maxRecipients(), config.messageIdDomain()).compose(draft, id, Date.from(now));
        return accept(client, id, now, m);
    }

    public Accepted submitRaw(Client client, byte[] raw, String envelopeFrom, List<String> envelopeTo) throws MailPublisher.NotAcknowledged {
        long limit = config.maxMessageSize().asLongValue();
        if (raw.length > limit) {
            throw SubmissionRefused.tooLarge(raw.length, limit);
        }
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        ComposedMessage m = new RawMessageReader(config.maxRecipients(), config.messageIdDomain())
                .read(raw, envelopeFrom, envelopeTo, id, Date.from(now));
        return accept(client, id, now, m);
    }

    private Accepted accept(Client client, String id, Instant now, ComposedMessage m) throws MailPublisher.NotAcknowledged {
        long limit = config.maxMessageSize().asLongValue();
        if (m.content().length > limit) {
            throw SubmissionRefused.tooLarge(m.content().length, limit);
        }
        String senderDomain = Addresses.domainOf(m.from());
        if (!client.senderDomains().isEmpty() && !client.senderDomains().contains(senderDomain)) {
            throw new SubmissionRefused(403, "Sender domain not allowed",
                    "This client key may send only from " + String.join(", ", client.senderDomains()) + ", not from " + senderDomain + ".",
                    List.of(new FieldError("from", "domain " + senderDomain + " is not allowed for this client")));
        }
        SubmittedMessage record = new SubmittedMessage(id, client.name(), now, m.from(), m.recipients(),
                m.content().length, Base64.getEncoder().encodeToString(m.content()));
        publisher.publishSubmitted(record, config.kafka().ackTimeout());

        // From here on the message is accepted: nothing below may turn the answer into a failure.
        List<DeliveryEvent> events = new ArrayList<>();
        List<String> eventJson = new ArrayList<>();
        for (String rcpt : m.recipients()) {
            DeliveryEvent.Data data = new DeliveryEvent.Data(id, rcpt, Addresses.domainOf(rcpt), "ACCEPTED", 0,
                    null, null, null, null, null, null, now, now, List.of());
            events.add(new DeliveryEvent("1.0", UUID.randomUUID().toString(), "/postway/intake-service/" + config.instance(),
                    DeliveryEvent.ACCEPTED, now, rcpt, "application/json", data));
            eventJson.add(json.valueToTree(data).toString());
        }
        // the events travel while the status rows are written; their fate no longer changes the answer
        publisher.publishEvents(events);
        try {
            statuses.recordAccepted(id, client.name(), now, m.from(), m.content().length, m.recipients(), eventJson);
        } catch (Exception e) {
            LOG.errorf("message %s is accepted but its status row could not be written: %s", id, e.getMessage());
        }
        LOG.infof("accepted %s from client %s: %d recipients, %d bytes", id, client.name(), m.recipients().size(), m.content().length);
        return new Accepted(id, m.recipients().size());
    }
}
