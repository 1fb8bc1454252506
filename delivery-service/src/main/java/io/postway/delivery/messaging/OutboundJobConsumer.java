package io.postway.delivery.messaging;

import io.postway.runtime.MessageLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.postway.contract.OutboundKey;
import io.postway.contract.event.CloudEventsKafka;
import io.postway.contract.json.ContractJson;
import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.retry.RetrySchedule;
import io.postway.delivery.DeliveryMetrics;
import io.postway.delivery.DeliveryService;
import io.postway.delivery.config.DeliveryConfig;
import io.postway.delivery.domain.DeliveryJob;
import io.postway.delivery.domain.Outcome;
import io.postway.delivery.domain.RecipientResult;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Takes jobs from {@code mail.outbound}, delivers them, and writes the outcome: one event per
 * recipient on {@code mail.delivery-events} (CloudEvents structured mode: the content-type header
 * on every record), one {@code mail.deferred} record per group of recipients deferred with the same
 * diagnosis, all of them promising the one next attempt the contract's retry schedule gives the job. A job's record is acked (its offset becomes
 * committable under the throttled strategy, which commits only below the oldest unacked record)
 * only after Kafka acknowledged all of them; if any write fails, the job is nacked and the channel
 * stops (failure-strategy=fail), so the job is redelivered rather than lost. Nothing blocks: up to
 * {@code postway.delivery.max-in-flight} jobs run at once on futures (SMTP and Kafka acks), and the
 * next record is taken only when one of them finishes.
 *
 * <p>Once a job's outputs are acknowledged, its done-marker goes to {@code mail.outbound-handled}
 * (on the job's partition number; {@link HandledJobs}), and only then is the record acked; a job
 * whose jobId is marked already (a replay after a worker died before its offset was committed, or
 * a routing decision the router repeated) is dropped without a second SMTP transaction.
 */
@ApplicationScoped
public class OutboundJobConsumer {

    private static final Logger LOG = Logger.getLogger(OutboundJobConsumer.class);

    private final DeliveryService delivery;
    private final OutcomeEvents outcomes;
    private final DeliveryConfig config;
    private final KafkaOutputs outputs;
    private final HandledJobs handledJobs;
    private final String instance;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final MeterRegistry metrics;
    private volatile boolean draining;
    private final int maxInFlight;
    private final Object slotLock = new Object();
    private CompletableFuture<Void> slotFreed;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Timer endToEnd;

    OutboundJobConsumer(DeliveryService delivery, DeliveryConfig config, MeterRegistry metrics,
                        KafkaOutputs outputs,
                        @Identifier(HandledJobs.LISTENER) HandledJobs handledJobs) {
        this.delivery = delivery;
        this.instance = DeliveryService.instanceName(config);
        this.outcomes = new OutcomeEvents(instance);
        this.config = config;
        this.outputs = outputs;
        this.handledJobs = handledJobs;
        this.metrics = metrics;
        this.maxInFlight = Math.max(1, config.maxInFlight());
        if (metrics != null) {
            metrics.gauge("postway.delivery.jobs.in.flight", inFlight);
            metrics.gauge("postway.delivery.smtp.connections.open", delivery, DeliveryService::openConnections);
        }
        this.endToEnd = metrics == null ? null : DeliveryMetrics.endToEnd(metrics);
    }

    @Incoming(Channels.OUTBOUND)
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    public CompletionStage<Void> onMessage(Message<byte[]> msg) {
        CompletableFuture<Void> outcome;
        try {
            Map<String, byte[]> headers = new HashMap<>();
            msg.getMetadata(IncomingKafkaRecordMetadata.class)
                    .ifPresent(m -> m.getHeaders().forEach(h -> headers.put(h.key(), h.value())));
            // the record's trace (its consumer span; root when tracing is off) is current while the job starts;
            // the job's outputs name it explicitly (they are written on other threads), so they continue it
            Context trace = TracingMetadata.fromMessage(msg).map(TracingMetadata::getCurrentContext).orElse(Context.current());
            try (Scope ignored = trace.makeCurrent()) {
                outcome = onJob(headers, msg.getPayload(), msg.getMetadata(IncomingKafkaRecordMetadata.class)
                        .map(m -> new Source(m.getPartition(), m.getOffset())).orElse(null));
            }
        } catch (RuntimeException e) {
            return msg.nack(e);
        }
        // acked (offset committable) only once Kafka acknowledged every event and deferral of the job
        outcome.whenComplete((v, t) -> {
            if (t == null) {
                msg.ack();
            } else {
                msg.nack(t);
            }
        });
        // back-pressure: the next record is taken only when fewer than max-in-flight jobs run
        return slotFree();
    }

    /** Where a job was read on {@code mail.outbound}: its marker goes to the same partition number. */
    record Source(int partition, long offset) {
    }

    /**
     * Starts one job from a mail.outbound record in either wire format ({@link OutboundJob#read}; the
     * value is the raw message in format 2, the JSON in format 1); the future completes when Kafka
     * acknowledged all its events and deferrals and then its done-marker (at once for a record that
     * names no message and recipients, or a job handled already, which are dropped). Throws when
     * shutting down. {@code source} null: no marker.
     */
    CompletableFuture<Void> onJob(Map<String, byte[]> headers, byte[] value, Source source) {
        if (draining) {
            // shutting down: hand the job back (not committed) to be taken by another replica
            throw new IllegalStateException("shutting down; job handed back");
        }
        OutboundJob job;
        byte[] content;
        try {
            job = OutboundJob.read(headers, value);
            Optional<String> unidentifiable = job.unidentifiable();
            if (unidentifiable.isPresent()) {
                throw new IllegalArgumentException(unidentifiable.get());
            }
            content = job.content();
        } catch (Exception e) {
            // names no message or recipients an outcome could be written for; keeping it would stop the channel for good
            LOG.errorf("dropping an unreadable mail.outbound record: %s", e.getMessage());
            return CompletableFuture.completedFuture(null);
        }
        try (MessageLog ignored = MessageLog.of(job.messageId())) {
            return start(job, content, source);
        }
    }

    private CompletableFuture<Void> start(OutboundJob job, byte[] content, Source source) {
        if (handledJobs.handled(job.jobId())) {
            // its events and deferrals were acknowledged before its marker was written: nothing is left to do
            LOG.infof("%s: job %s was handled already (a replay); dropped", job.messageId(), job.jobId());
            count("postway.delivery.jobs.replayed");
            return CompletableFuture.completedFuture(null);
        }
        inFlight.incrementAndGet();
        Context trace = Context.current();
        CompletableFuture<Void> done;
        try {
            Optional<String> policyUnusable = job.policyUnusable();
            done = policyUnusable.isPresent() ? deferUnusablePolicy(job, content, policyUnusable.get(), trace) : handle(job, content, trace);
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> marked = done.thenCompose(v -> markHandled(job, source, trace)).whenComplete((v, t) -> {
            jobFinished();
            if (t != null) {
                try (MessageLog ignored = MessageLog.of(job.messageId())) { // on the thread that failed it
                    LOG.errorf(t, "could not write the outcome of job %s; it stays uncommitted", job.jobId());
                }
            }
        });
        if (source != null) {
            handledJobs.running(source.partition(), marked);
        }
        return marked;
    }

    /** The job's done-marker, once its outputs are acknowledged; remembered here once acknowledged. */
    private CompletableFuture<Void> markHandled(OutboundJob job, Source source, Context trace) {
        if (source == null || job.jobId() == null) {
            return CompletableFuture.completedFuture(null);
        }
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        HandledJob marker = new HandledJob(job.jobId(), job.messageId(), job.domain(), job.attempt(), job.recipients(),
                source.partition(), source.offset(), at, instance);
        return outputs.marker(job.jobId(), HandledJobs.write(marker), source.partition(), trace)
                .thenRun(() -> handledJobs.remember(job.jobId(), at.toEpochMilli()));
    }

    private void count(String name) {
        if (metrics != null) {
            counters.computeIfAbsent(name, metrics::counter).increment();
        }
    }

    /**
     * A job whose policy delivery cannot apply: every recipient deferred (POLICY_UNUSABLE, the
     * diagnosis names what is missing) and handed to the router, which routes it again under the
     * policy in force, so that each recipient still ends delivered, bounced or expired.
     */
    private CompletableFuture<Void> deferUnusablePolicy(OutboundJob job, byte[] content, String problem, Context trace) {
        LOG.warnf("%s: deferring %d recipients, %s", job.messageId(), job.recipients().size(), problem);
        DeliveryJob work = new DeliveryJob(job.messageId(), job.domain(), job.from(), job.recipients(), job.attempt(),
                job.policyAsReported(), content);
        return writeOutcome(job, DeliveryService.policyUnusable(work, problem), trace);
    }

    private CompletionStage<Void> slotFree() {
        synchronized (slotLock) {
            if (inFlight.get() < maxInFlight) {
                return CompletableFuture.completedFuture(null);
            }
            if (slotFreed == null) {
                slotFreed = new CompletableFuture<>();
            }
            return slotFreed;
        }
    }

    private void jobFinished() {
        CompletableFuture<Void> freed;
        synchronized (slotLock) {
            inFlight.decrementAndGet();
            freed = slotFreed;
            slotFreed = null;
        }
        if (freed != null) {
            freed.complete(null);
        }
    }

    CompletableFuture<Void> handle(OutboundJob job, byte[] content, Context trace) {
        DeliveryJob work = new DeliveryJob(job.messageId(), job.domain(), job.from(), job.recipients(), job.attempt(),
                job.policy(), content, OutboundKey.slotOf(job.jobId(), job.policy().limits().maxConnections()));
        return delivery.deliver(work).toCompletableFuture().thenCompose(results -> {
            // on the thread that finished the SMTP session
            try (MessageLog ignored = MessageLog.of(job.messageId())) {
                return writeOutcome(job, results, trace);
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
        });
    }

    private CompletableFuture<Void> writeOutcome(OutboundJob job, List<RecipientResult> results, Context trace) {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        // computed once: every deferred event and record of the job promises the same instant; without a
        // usable retry schedule none is promised and the router computes it under the policy in force
        Instant nextAttemptAt = job.retryUsable()
                ? RetrySchedule.nextAttemptAt(job.submittedAt(), at, job.attempt(), job.policy().retry()).truncatedTo(ChronoUnit.MILLIS)
                : null;
        EffectivePolicy policy = job.policyAsReported();
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        Map<String, List<String>> deferredByDiagnosis = new LinkedHashMap<>();
        for (RecipientResult r : results) {
            CompletableFuture<Void> eventAcked = sendEvent(job.messageId(), ContractJson.write(outcomes.of(job, r, at, nextAttemptAt)), trace);
            if (r.outcome() == Outcome.DELIVERED) {
                eventAcked = eventAcked.thenRun(() -> DeliveryMetrics.delivered(endToEnd, job.submittedAt(), Instant.now()));
            }
            acks.add(eventAcked);
            if (r.outcome() == Outcome.DEFERRED) {
                deferredByDiagnosis.computeIfAbsent(r.diagnosis(), d -> new ArrayList<>()).add(r.recipient());
            }
            if (LOG.isDebugEnabled()) {
                LOG.debugf("%s %s %s at %s: %s", job.messageId(), r.recipient(), r.outcome(), r.stage(), r.diagnosis());
            }
            if (metrics != null) {
                counters.computeIfAbsent(r.outcome().name() + "|" + r.stage().name(), k -> metrics.counter(
                        "postway.delivery.recipients", "outcome", r.outcome().name(), "stage", r.stage().name())).increment();
            }
        }
        for (var e : deferredByDiagnosis.entrySet()) {
            DeferredRecord d = new DeferredRecord(job.messageId(), job.domain(), job.from(), e.getValue(), job.attempt(),
                    job.submittedAt(), at, job.content(), e.getKey(), policy == null ? null : policy.rule(), policy == null ? 0 : policy.version(), nextAttemptAt);
            acks.add(sendDeferral(job.messageId(), ContractJson.write(d), trace));
        }
        return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS);
    }

    /** An event record: keyed by messageId, with the CloudEvents structured-mode header (CloudEventsKafka). */
    private CompletableFuture<Void> sendEvent(String messageId, String event, Context trace) {
        var headers = new RecordHeaders().add(CloudEventsKafka.CONTENT_TYPE_HEADER, CloudEventsKafka.contentTypeHeaderValue());
        return outputs.event(messageId, event, headers, trace);
    }

    /** {@code trace}: the job's trace context, which the record continues (written on the SMTP session's thread). */
    private CompletableFuture<Void> sendDeferral(String messageId, String record, Context trace) {
        return outputs.deferral(messageId, record, trace);
    }

    /** Graceful shutdown: take no new jobs and let those in flight finish (bounded). */
    void onStop(@Observes @Priority(1) ShutdownEvent event) {
        draining = true;
        long deadline = System.nanoTime() + config.drainTimeout().toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (inFlight.get() > 0) {
            LOG.warnf("%d jobs still in flight at shutdown; their offsets stay uncommitted and they will be redelivered", inFlight.get());
        }
    }

    public int inFlight() {
        return inFlight.get();
    }
}
