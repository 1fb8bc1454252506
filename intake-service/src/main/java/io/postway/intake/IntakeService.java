package io.postway.intake;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.postway.contract.event.DeliveryEvent;
import io.postway.contract.event.DeliveryEvents;
import io.postway.contract.event.EventType;
import io.postway.intake.config.IntakeConfig;
import io.postway.intake.domain.Accepted;
import io.postway.intake.domain.Addresses;
import io.postway.intake.domain.ComposedMessage;
import io.postway.intake.domain.MessageComposer;
import io.postway.intake.domain.MessageDraft;
import io.postway.intake.domain.MessageStatus;
import io.postway.intake.domain.RawMessageReader;
import io.postway.intake.domain.StatusStoreUnavailable;
import io.postway.intake.domain.SubmissionRefused;
import io.postway.intake.domain.SubmittingClient;
import io.postway.runtime.MessageLog;
import io.postway.intake.infra.RecentlyAccepted;
import io.postway.intake.infra.StatusRepository;
import io.postway.intake.messaging.MailPublisher;
import io.postway.intake.messaging.SubmittedMessage;
import io.postway.web.DatabaseUnreachable;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * intake-service — the front door of Postway.
 *
 * <p>Reads: {@code POST /v1/messages} (JSON, or a complete RFC 5322 message as
 * {@code message/rfc822}) from clients holding a configured key; {@code mail.delivery-events}
 * (group {@code intake-status-projection}) into a PostgreSQL status projection.
 *
 * <p>Writes: one {@code mail.submitted} record per accepted message (key = message id, the
 * content raw as the value in wire format 2, CRLF only, no Bcc); one {@code postway.message.accepted} CloudEvent per recipient
 * on {@code mail.delivery-events} (attempt 0, {@code data.client} set, made by the contract's {@link DeliveryEvents}); the
 * status projection and Idempotency-Key answers (24 h, {@link IdempotentSubmissions}).
 *
 * <p>Decides: who may submit (client key; sender domains of the key: 403 otherwise, never an open
 * relay), what is a well-formed message (addresses, header injection, line endings, size,
 * recipient count), and answers 202 only after the broker acknowledged the record (acks=all,
 * idempotent producer), 503 when it did not within {@code postway.intake.kafka.ack-timeout}; the
 * answer is completed by the producer's callback, no thread waits for the broker. The request
 * path does not touch PostgreSQL (without an Idempotency-Key): the accepted events name the
 * client and the projection builds the status view from them.
 *
 * <p>Delegates: MIME building and parsing to Apache James mime4j; routing, policy and retries to
 * router-service; SMTP to delivery-service.
 */
@ApplicationScoped
public class IntakeService {

    private static final Logger LOG = Logger.getLogger(IntakeService.class);

    /** Status lookups of longer ids are answered "not found" without a query: the intake's ids are UUIDs. */
    private static final int MAX_MESSAGE_ID = 64;

    @Inject
    IntakeConfig config;

    @Inject
    MailPublisher publisher;

    @Inject
    StatusRepository statuses;

    @Inject
    RecentlyAccepted recentlyAccepted;

    @Inject
    DatabaseUnreachable databaseUnreachable;

    @Inject
    MeterRegistry registry;

    private DeliveryEvents events;
    private Timer acceptedTimer;
    private Timer notAcknowledgedTimer;

    @PostConstruct
    void init() {
        events = new DeliveryEvents("intake-service", config.instance());
        acceptedTimer = acceptTimer("accepted");
        notAcknowledgedTimer = acceptTimer("not-acknowledged");
    }

    /** From the composed message to the broker's answer: what a client waits for beyond parsing. */
    private Timer acceptTimer(String outcome) {
        return Timer.builder("postway.intake.accept")
                .description("Time from a composed message to the broker's acknowledgement of its mail.submitted record")
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(registry);
    }

    /**
     * The JSON form: the envelope is in the body, so from= and to= parameters are refused. A body far
     * over the limit is refused before it is parsed.
     */
    public CompletableFuture<Accepted> submitJson(SubmittingClient client, byte[] body, String envelopeFrom, List<String> envelopeTo) {
        if (envelopeFrom != null || !envelopeTo.isEmpty()) {
            // name the parameter the client actually sent
            throw SubmissionRefused.invalidRequest(envelopeFrom != null ? "from" : "to",
                    "the from= and to= parameters belong to message/rfc822 submissions; JSON carries them in the body");
        }
        long limit = config.maxMessageSize().asLongValue();
        if (body.length > limit * 3 / 2 + 1024 * 1024) {
            // base64 in JSON is 4/3 of the attachment and the built message at least as large
            throw SubmissionRefused.tooLarge(body.length, limit);
        }
        MessageDraft draft = SubmissionJson.read(body);
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        ComposedMessage m = new MessageComposer(config.maxRecipients(), config.messageIdDomain()).compose(draft, id, Date.from(now));
        return accept(client, id, now, m);
    }

    public CompletableFuture<Accepted> submitRaw(SubmittingClient client, byte[] raw, String envelopeFrom, List<String> envelopeTo) {
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

    /**
     * The recipients of a message and their latest events, when {@code client} submitted it: the
     * projection's rows, completed by this instance's accepted messages the projection has not
     * written yet ({@link RecentlyAccepted}: read-your-writes right after a 202). A database that
     * cannot be reached is {@link StatusStoreUnavailable} unless the message is still only in
     * memory; a refused query stays a failure.
     */
    public Optional<MessageStatus> status(SubmittingClient client, String messageId) throws StatusStoreUnavailable {
        if (messageId.length() > MAX_MESSAGE_ID) {
            return Optional.empty();
        }
        Optional<List<MessageStatus.Recipient>> pending = recentlyAccepted.find(messageId, client.name());
        Optional<List<MessageStatus.Recipient>> projected;
        try {
            projected = statuses.find(messageId, client.name());
        } catch (SQLException e) {
            if (databaseUnreachable.unavailable(e).isEmpty()) {
                throw new IllegalStateException("the status lookup failed", e);
            }
            if (pending.isEmpty()) {
                throw new StatusStoreUnavailable("the status store cannot be reached: " + e.getMessage(), e);
            }
            projected = Optional.empty();
        }
        if (pending.isEmpty()) {
            return projected.map(recipients -> new MessageStatus(messageId, recipients));
        }
        Map<String, MessageStatus.Recipient> byAddress = new TreeMap<>();
        pending.get().forEach(r -> byAddress.put(r.address(), r));
        projected.ifPresent(rows -> rows.forEach(r -> byAddress.put(r.address(), r)));
        return Optional.of(new MessageStatus(messageId, List.copyOf(byAddress.values())));
    }

    private CompletableFuture<Accepted> accept(SubmittingClient client, String id, Instant now, ComposedMessage m) {
        long limit = config.maxMessageSize().asLongValue();
        if (m.content().length > limit) {
            throw SubmissionRefused.tooLarge(m.content().length, limit);
        }
        client.checkSender(m.from());
        SubmittedMessage record = new SubmittedMessage(id, client.name(), now, m.from(), m.recipients(),
                m.content().length, m.content());
        // built before the message is sent: once the broker has it, nothing may turn the answer into a failure.
        // They name the client, so the status projection alone makes the message queryable (no PostgreSQL write here).
        List<DeliveryEvent> accepted = m.recipients().stream()
                .map(rcpt -> events.event(EventType.ACCEPTED, id, rcpt, Addresses.domainOf(rcpt), 0, now)
                        .submittedAt(now).client(client.name()).build())
                .toList();
        Timer.Sample sample = Timer.start();
        // the answer is finished on the request's own Vert.x context, not on the producer's I/O thread that acknowledged it
        Context request = Vertx.currentContext();
        Executor answerOn = request == null ? Runnable::run : task -> request.runOnContext(ignored -> task.run());
        return publisher.publish(record, accepted, config.kafka().ackTimeout()).handleAsync((ok, failure) -> {
            if (failure != null) {
                sample.stop(notAcknowledgedTimer);
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                throw new CompletionException(cause);
            }
            // From here on the message is accepted.
            recentlyAccepted.accepted(id, client.name(), accepted);
            sample.stop(acceptedTimer);
            try (MessageLog log = MessageLog.of(id)) {
                LOG.debugf("accepted %s from client %s: %d recipients, %d bytes", id, client.name(), m.recipients().size(), m.content().length);
            }
            return new Accepted(id, m.recipients().size());
        }, answerOn);
    }
}
