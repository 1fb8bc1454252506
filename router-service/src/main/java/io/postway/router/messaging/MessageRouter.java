package io.postway.router.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.postway.router.domain.EffectivePolicy;
import io.postway.router.domain.JobIds;
import io.postway.router.domain.QueueEntry;
import io.postway.router.domain.RecipientDomains;
import io.postway.router.domain.RetrySchedule;
import io.postway.router.domain.RouterDiagnoses;
import io.postway.router.infra.DeferredQueueRepository;
import io.postway.router.infra.PolicyCache;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The routing decision: for each recipient domain, the policy in force now, and then a job on
 * mail.outbound, or (policy unknown) a wait in the deferred queue, or (expired) the end.
 *
 * <p>Every method returns only once what it produced is acknowledged by Kafka and written to
 * PostgreSQL, so its caller may then commit the input (offset or queue deletion). Ids are
 * deterministic, so a replay after a crash produces the same jobs again, never different ones.
 */
public final class MessageRouter {

    private static final long ACK_TIMEOUT_SECONDS = 60;

    private final RecordSink sink;
    private final RouterEvents events;
    private final PolicyCache policies;
    private final DeferredQueueRepository queue;
    private final String outboundTopic;
    private final Duration unknownPolicyRetry;
    private final Clock clock;
    private final Counter jobsFromSubmitted;
    private final Counter jobsFromQueue;
    private final Counter heldBack;
    private final Counter bounced;
    private final Counter expired;

    public MessageRouter(RecordSink sink, RouterEvents events, PolicyCache policies, DeferredQueueRepository queue,
                         String outboundTopic, Duration unknownPolicyRetry, Clock clock, MeterRegistry meters) {
        this.sink = sink;
        this.events = events;
        this.policies = policies;
        this.queue = queue;
        this.outboundTopic = outboundTopic;
        this.unknownPolicyRetry = unknownPolicyRetry;
        this.clock = clock;
        this.jobsFromSubmitted = Counter.builder("postway.router.jobs.routed").tag("origin", "submitted")
                .description("jobs written to mail.outbound").register(meters);
        this.jobsFromQueue = Counter.builder("postway.router.jobs.routed").tag("origin", "queue")
                .description("jobs written to mail.outbound").register(meters);
        this.heldBack = Counter.builder("postway.router.recipients.held").tag("reason", "policy-unknown")
                .description("recipients queued because their policy could not be known").register(meters);
        this.bounced = Counter.builder("postway.router.recipients.ended").tag("outcome", "bounced").register(meters);
        this.expired = Counter.builder("postway.router.recipients.ended").tag("outcome", "expired").register(meters);
    }

    /**
     * A freshly accepted message: attempt 1 for every domain whose policy is known. Queue rows
     * (policy unknown) are written before this returns; the returned future completes when Kafka
     * acknowledged every job and event, so the caller may pipeline several messages and commit
     * their offsets once all are acknowledged.
     */
    public CompletableFuture<Void> routeSubmitted(SubmittedMail mail) throws SQLException {
        Instant now = clock.instant();
        RecipientDomains.Grouping grouping = RecipientDomains.group(mail.recipients() == null ? List.of() : mail.recipients());
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (RecipientDomains.Invalid invalid : grouping.invalid()) {
            acks.add(events.emit(DeliveryEvent.BOUNCED, mail.messageId(), invalid.recipient(), null, 0, null,
                    RouterDiagnoses.invalidDomain(invalid.recipient(), invalid.reason()), null, mail.submittedAt(), now));
            bounced.increment();
        }
        for (Map.Entry<String, List<String>> group : grouping.byDomain().entrySet()) {
            String domain = group.getKey();
            Optional<EffectivePolicy> policy = policies.resolve(domain);
            if (policy.isPresent()) {
                acks.add(sendJob(mail.messageId(), domain, mail.from(), group.getValue(), 1, mail.submittedAt(),
                        mail.content(), policy.get()));
                jobsFromSubmitted.increment();
            } else {
                acks.addAll(holdBack(mail, domain, group.getValue(), now));
            }
        }
        return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
    }

    private List<CompletableFuture<Void>> holdBack(SubmittedMail mail, String domain, List<String> recipients, Instant now)
            throws SQLException {
        String diagnosis = RouterDiagnoses.policyUnknown(domain, policyUnknownReason());
        Instant next = now.plus(unknownPolicyRetry);
        queue.insert(new QueueEntry(JobIds.entryId(mail.messageId(), domain, 0, recipients), mail.messageId(), domain,
                mail.from(), recipients, 0, mail.submittedAt(), now, next, diagnosis, null, null, mail.content()));
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (String r : recipients) {
            acks.add(events.emit(DeliveryEvent.DEFERRED, mail.messageId(), r, domain, 0, null, diagnosis, next,
                    mail.submittedAt(), now));
            heldBack.increment();
        }
        return acks;
    }

    private String policyUnknownReason() {
        String error = policies.lastFallbackError();
        return "no 'default' rule is known" + (error == null ? "" : "; policy-service: " + error);
    }

    /** What happened to a queue entry that came due. */
    public enum QueueOutcome { ROUTED, EXPIRED, STILL_WAITING }

    /**
     * Routes a due entry again under the policy in force now, within the claimer's transaction
     * {@code c} (which holds the entry's lock): deleted only after Kafka acknowledged what replaced it.
     */
    public QueueOutcome routeQueued(Connection c, QueueEntry entry) throws Exception {
        Instant now = clock.instant();
        Optional<EffectivePolicy> policy = policies.resolve(entry.domain());
        if (policy.isEmpty()) {
            // fail closed: no weaker policy, no expiry guessed without knowing expireAfter
            queue.reschedule(c, entry.id(), now.plus(unknownPolicyRetry),
                    RouterDiagnoses.policyUnknown(entry.domain(), policyUnknownReason()));
            return QueueOutcome.STILL_WAITING;
        }
        EffectivePolicy p = policy.get();
        if (RetrySchedule.isExpired(entry.submittedAt(), p.retry().expireAfter(), now)) {
            String diagnosis = RouterDiagnoses.expired(entry.submittedAt(), p.retry().expireAfter(), entry.lastDiagnosis());
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            for (String r : entry.recipients()) {
                acks.add(events.emit(DeliveryEvent.EXPIRED, entry.messageId(), r, entry.domain(), entry.attempt(), p,
                        diagnosis, null, entry.submittedAt(), now));
                expired.increment();
            }
            await(acks);
            queue.delete(c, entry.id());
            return QueueOutcome.EXPIRED;
        }
        await(List.of(sendJob(entry.messageId(), entry.domain(), entry.from(), entry.recipients(), entry.attempt() + 1,
                entry.submittedAt(), entry.content(), p)));
        jobsFromQueue.increment();
        queue.delete(c, entry.id());
        return QueueOutcome.ROUTED;
    }

    /** Gives up on queued entries at an administrator's request: every recipient ends bounced. */
    public void bounceQueued(Connection c, QueueEntry entry, String diagnosis) throws Exception {
        Instant now = clock.instant();
        Optional<EffectivePolicy> p = policies.resolve(entry.domain());
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (String r : entry.recipients()) {
            acks.add(events.emit(DeliveryEvent.BOUNCED, entry.messageId(), r, entry.domain(), entry.attempt(),
                    p.orElse(null), diagnosis, null, entry.submittedAt(), now));
            bounced.increment();
        }
        await(acks);
        queue.delete(c, entry.id());
    }

    /** mail.deferred into the queue: next attempt from the retry intervals of the policy in force now. */
    public boolean enqueueDeferred(DeferredMail d) throws SQLException {
        String domain = RecipientDomains.normalize(d.domain()).orElse(d.domain().toLowerCase(java.util.Locale.ROOT));
        Instant deferredAt = d.deferredAt() == null ? clock.instant() : d.deferredAt();
        Instant submittedAt = d.submittedAt() == null ? deferredAt : d.submittedAt();
        Optional<EffectivePolicy> policy = policies.resolve(domain);
        Instant next = policy.map(p -> RetrySchedule.nextAttemptAt(submittedAt, deferredAt, d.attempt(), p.retry()))
                .orElse(deferredAt.plus(unknownPolicyRetry));
        return queue.insert(new QueueEntry(JobIds.entryId(d.messageId(), domain, d.attempt(), d.recipients()),
                d.messageId(), domain, d.from(), List.copyOf(d.recipients()), d.attempt(), submittedAt, deferredAt,
                next, d.diagnosis() == null ? "" : d.diagnosis(), d.policyRule(), d.policyVersion(), d.content()));
    }

    private CompletableFuture<Void> sendJob(String messageId, String domain, String from, List<String> recipients,
                                            int attempt, Instant submittedAt, String content, EffectivePolicy policy) {
        OutboundJob job = new OutboundJob(JobIds.jobId(messageId, domain, attempt, recipients).toString(), messageId,
                domain, from, recipients, attempt, submittedAt, content, OutboundJob.Policy.of(policy));
        return sink.send(outboundTopic, domain, Json.write(job));
    }

    private static void await(List<CompletableFuture<Void>> acks) throws Exception {
        try {
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not acknowledge within " + ACK_TIMEOUT_SECONDS + " s", e);
        }
    }
}
