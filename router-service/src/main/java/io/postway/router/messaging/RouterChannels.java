package io.postway.router.messaging;

import io.postway.runtime.MessageLog;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.postway.contract.json.ContractJson;
import io.postway.contract.wire.MailRecords;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.PausableChannel;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import org.apache.kafka.common.header.Header;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The router's inputs as SmallRye Reactive Messaging channels on Kafka (group
 * {@code router}, every {@code kafka.*} setting applies; see
 * {@code application.properties}): mail.submitted becomes jobs, events and queue rows, mail.deferred
 * becomes queue rows.
 *
 * <p>Commit: a record (on mail.submitted: a poll's batch of records) is acked only after all its
 * outputs are durable ({@link InFlightRecords}); with
 * {@code commit-strategy=throttled} the connector commits a partition's offset only up to the oldest
 * record not yet acked. One input with N outputs (several topics and PostgreSQL) is thus committed
 * only after all N are acknowledged, and a router that dies mid-message has committed nothing of
 * it: the next one re-reads it and writes the same jobs again (deterministic ids).
 *
 * <p>Both channels are {@code pausable} and {@code initially-paused}: nothing is routed before the
 * policy cache is loaded; {@link #startRouting} resumes them. Afterwards the cache can still lose
 * {@code default}; then {@link MessageRouter} holds the mail back (fail closed) rather than pausing
 * the channels, so the mail waits visibly in the queue.
 */
@ApplicationScoped
public class RouterChannels {

    /** {@code Topics.channel(Topics.SUBMITTED)}: the channel reading mail.submitted. */
    public static final String SUBMITTED = "mail-submitted";
    /** {@code Topics.channel(Topics.DEFERRED)}: the channel reading mail.deferred. */
    public static final String DEFERRED = "mail-deferred";
    public static final List<String> ALL = List.of(SUBMITTED, DEFERRED);

    /** Messages of mail.submitted whose jobs are being written at once (one poll's worth): the next poll's batch is taken only below it. */
    private static final int MAX_IN_FLIGHT = 500;

    private static final Logger LOG = Logger.getLogger(RouterChannels.class);

    @Inject
    ChannelRegistry channels;

    private final Timer routeLatency;

    /**
     * {@code postway.router.route.latency}: from a mail.submitted record's timestamp (intake's send)
     * to the moment Kafka acknowledged every job and event routed from it, with Prometheus
     * histogram buckets ({@code _bucket}), so p50/p99 are {@code histogram_quantile} away.
     */
    @Inject
    RouterChannels(MeterRegistry meters) {
        this.routeLatency = Timer.builder("postway.router.route.latency")
                .description("mail.submitted record timestamp to every output of it acknowledged")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(meters);
    }

    private final InFlightRecords submitted = new InFlightRecords(SUBMITTED, MAX_IN_FLIGHT);
    // a deferred record is one queue insert; those in flight together are committed in one batch
    private final InFlightRecords deferred = new InFlightRecords(DEFERRED, MessageRouter.DEFERRED_INSERT_BATCH);
    private volatile MessageRouter router;

    /** Routing begins: the policy cache is loaded. Resumes both channels. */
    public void startRouting(MessageRouter router) {
        this.router = router;
        for (String channel : ALL) {
            pausable(channel).resume();
        }
    }

    /** True once {@link #startRouting} resumed the channel. */
    public boolean routing(String channel) {
        return router != null && !pausable(channel).isPaused();
    }

    /** The last failure of a record of the channel, or null once one has succeeded since. */
    public String lastError(String channel) {
        return (SUBMITTED.equals(channel) ? submitted : deferred).lastError();
    }

    /**
     * A poll's worth of mail.submitted (the channel is {@code batch=true}): every record is routed
     * (retried on its own, {@link InFlightRecords}); the batch is acked once all their outputs are
     * acknowledged, or nacked when one still fails after the retries. One ack per poll instead of
     * one Message, ack chain and hand-off per record (issue 11).
     */
    @Incoming(SUBMITTED)
    @Blocking
    public CompletionStage<Void> onSubmitted(KafkaRecordBatch<String, byte[]> batch) {
        List<KafkaRecord<String, byte[]>> records = batch.getRecords();
        CompletableFuture<?>[] routed = new CompletableFuture<?>[records.size()];
        for (int i = 0; i < routed.length; i++) {
            routed[i] = route(records.get(i));
        }
        CompletableFuture.allOf(routed).whenComplete((done, failure) -> {
            if (failure == null) {
                batch.ack();
            } else {
                batch.nack(failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure);
            }
        });
        return submitted.slotFree();
    }

    private CompletableFuture<Void> route(KafkaRecord<String, byte[]> record) {
        SubmittedMail mail = readMailOrNull(record);
        if (mail == null || mail.messageId() == null || mail.recipients() == null || mail.content() == null
                || mail.submittedAt() == null) {
            logDrop(record, "submitted", mail == null ? null : mail.messageId());
            return CompletableFuture.completedFuture(null);
        }
        long timestamp = record.getTimestamp() == null ? -1 : record.getTimestamp().toEpochMilli();
        // with tracing on, the record's span (SmallRye's) is the parent of the jobs' trace context (KafkaRecordSink)
        Context trace = TracingMetadata.fromMessage(record).map(TracingMetadata::getCurrentContext).orElse(null);
        return submitted.handle(mail.messageId(), () -> "message " + mail.messageId() + " at " + where(record), () -> {
            try (Scope ignored = trace == null ? null : trace.makeCurrent()) {
                return router().routeSubmitted(mail).whenComplete((done, failed) -> {
                    if (failed == null && timestamp > 0) {
                        routeLatency.record(Math.max(0, System.currentTimeMillis() - timestamp), TimeUnit.MILLISECONDS);
                    }
                });
            }
        });
    }

    @Incoming(DEFERRED)
    @Blocking
    public CompletionStage<Void> onDeferred(Message<String> record) {
        DeferredMail d = readOrNull(record, DeferredMail.class);
        if (d == null || d.messageId() == null || d.domain() == null || d.recipients() == null || d.recipients().isEmpty()
                || d.content() == null) {
            return drop(record, "deferred", d == null ? null : d.messageId());
        }
        return deferred.start(record, d.messageId(), () -> "deferred message " + d.messageId() + " at " + where(record),
                () -> router().enqueueDeferred(d));
    }

    /**
     * A mail.submitted record in either wire format ({@link MailRecords}: format 2, or the format 1
     * JSON still on the topic during an upgrade), or null (logged) when it is neither.
     */
    private static SubmittedMail readMailOrNull(KafkaRecord<String, byte[]> record) {
        try {
            Map<String, byte[]> headers = new HashMap<>();
            for (Header h : record.getHeaders()) {
                headers.put(h.key(), h.value());
            }
            return MailRecords.read(headers, record.getPayload(), SubmittedMail.class);
        } catch (IllegalArgumentException | NullPointerException e) {
            LOG.errorf("unreadable record %s: %s", where(record), e.getMessage());
            return null;
        }
    }

    /** The record's value, or null (logged) when it is no such record: a foreign or broken value. */
    private static <T> T readOrNull(Message<String> record, Class<T> type) {
        try {
            return ContractJson.read(record.getPayload(), type);
        } catch (IllegalArgumentException | NullPointerException e) {
            LOG.errorf("unreadable record %s: %s", where(record), e.getMessage());
            return null;
        }
    }

    /**
     * Acks a record that is not a message or lacks what routing needs: retrying cannot help, and
     * holding it would stop all mail behind it.
     */
    private static CompletionStage<Void> drop(Message<?> record, String kind, String messageId) {
        logDrop(record, kind, messageId);
        return record.ack();
    }

    private static void logDrop(Message<?> record, String kind, String messageId) {
        try (MessageLog ignored = MessageLog.of(messageId)) {
            LOG.errorf("dropping incomplete or unreadable %s record %s (message %s)", kind, where(record), messageId);
        }
    }

    private MessageRouter router() {
        MessageRouter r = router;
        if (r == null) {
            throw new IllegalStateException("routing has not started"); // retried: the channels start paused
        }
        return r;
    }

    private PausableChannel pausable(String channel) {
        PausableChannel p = channels.getPausable(channel);
        if (p == null) {
            throw new IllegalStateException("channel " + channel + " is not configured pausable=true");
        }
        return p;
    }

    private static String where(Message<?> record) {
        return record.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> m.getTopic() + "-" + m.getPartition() + "@" + m.getOffset())
                .orElse("?");
    }
}
