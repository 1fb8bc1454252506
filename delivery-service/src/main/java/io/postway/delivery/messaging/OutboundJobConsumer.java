package io.postway.delivery.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.postway.delivery.DeliveryService;
import io.postway.delivery.config.DeliveryConfig;
import io.postway.delivery.domain.DeliveryJob;
import io.postway.delivery.domain.Outcome;
import io.postway.delivery.infra.RecipientResult;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Takes jobs from {@code mail.outbound}, delivers them, and writes the outcome: one event per
 * recipient on {@code mail.delivery-events}, one {@code mail.deferred} record per group of
 * recipients deferred with the same diagnosis. The method returns (and the offset becomes
 * committable) only after Kafka acknowledged all of them; if any write fails, the job is nacked
 * and the channel stops (failure-strategy=fail), so the job is redelivered rather than lost.
 * Jobs run concurrently on the {@code delivery-workers} pool; the SMTP work itself is non-blocking.
 */
@ApplicationScoped
public class OutboundJobConsumer {

    private static final Logger LOG = Logger.getLogger(OutboundJobConsumer.class);

    private final DeliveryService delivery;
    private final ObjectMapper json;
    private final DeliveryConfig config;
    private final Emitter<String> events;
    private final Emitter<String> deferrals;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final MeterRegistry metrics;
    private volatile boolean draining;

    OutboundJobConsumer(DeliveryService delivery, ObjectMapper json, DeliveryConfig config, MeterRegistry metrics,
                        @Channel(Topics.DELIVERY_EVENTS) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 10000) Emitter<String> events,
                        @Channel(Topics.DEFERRED) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 10000) Emitter<String> deferrals) {
        this.delivery = delivery;
        this.json = json;
        this.config = config;
        this.events = events;
        this.deferrals = deferrals;
        this.metrics = metrics;
        if (metrics != null) {
            metrics.gauge("postway.delivery.jobs.in.flight", inFlight);
            metrics.gauge("postway.delivery.smtp.connections.open", delivery, DeliveryService::openConnections);
        }
    }

    @Incoming(Topics.OUTBOUND)
    @Blocking(value = "delivery-workers", ordered = false)
    public void onJob(String value) throws Exception {
        if (draining) {
            // shutting down: hand the job back (not committed) to be taken by another replica
            throw new IllegalStateException("shutting down; job handed back");
        }
        inFlight.incrementAndGet();
        try {
            OutboundJob job;
            byte[] content;
            try {
                job = json.readValue(value, OutboundJob.class);
                if (job.messageId() == null || job.policy() == null || job.policy().tls() == null
                        || job.recipients() == null || job.recipients().isEmpty() || job.content() == null) {
                    throw new IllegalArgumentException("messageId, recipients, content and policy are required");
                }
                content = Base64.getMimeDecoder().decode(job.content());
            } catch (Exception e) {
                // nothing can ever deliver it; keeping it would stop the channel for good
                LOG.errorf("dropping an unreadable mail.outbound record: %s", e.getMessage());
                return;
            }
            handle(job, content);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    void handle(OutboundJob job, byte[] content) throws Exception {
        DeliveryJob work = new DeliveryJob(job.messageId(), job.domain(), job.from(), job.recipients(), job.attempt(),
                job.policy(), content);
        List<RecipientResult> results = delivery.deliver(work).toCompletableFuture().get();
        Instant at = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        Map<String, List<String>> deferredByDiagnosis = new LinkedHashMap<>();
        for (RecipientResult r : results) {
            DeliveryEvent event = DeliveryEvents.of(job, r, delivery.source(), at);
            acks.add(send(events, job.messageId(), json.writeValueAsString(event)));
            if (r.outcome() == Outcome.DEFERRED) {
                deferredByDiagnosis.computeIfAbsent(r.diagnosis(), d -> new ArrayList<>()).add(r.recipient());
            }
            LOG.debugf("%s %s %s at %s: %s", job.messageId(), r.recipient(), r.outcome(), r.stage(), r.diagnosis());
            if (metrics != null) {
                metrics.counter("postway.delivery.recipients", "outcome", r.outcome().name(), "stage", r.stage().name()).increment();
            }
        }
        for (var e : deferredByDiagnosis.entrySet()) {
            DeferredRecord d = new DeferredRecord(job.messageId(), job.domain(), job.from(), e.getValue(), job.attempt(),
                    job.submittedAt(), at, job.content(), e.getKey(), job.policy().rule(), job.policy().version());
            acks.add(send(deferrals, job.messageId(), json.writeValueAsString(d)));
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }

    private static CompletableFuture<Void> send(Emitter<String> emitter, String key, String value) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        Message<String> msg = Message.of(value)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build())
                .withAck(() -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(t -> {
                    acked.completeExceptionally(t);
                    return CompletableFuture.completedFuture(null);
                });
        emitter.send(msg);
        return acked;
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
