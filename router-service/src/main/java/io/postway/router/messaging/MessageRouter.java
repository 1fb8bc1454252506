package io.postway.router.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.postway.contract.OutboundKey;
import io.postway.contract.event.DeliveryEvent;
import io.postway.contract.event.DeliveryEvents;
import io.postway.contract.event.EventType;
import io.postway.contract.policy.Domains;
import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.wire.MailRecords;
import io.postway.router.domain.JobIds;
import io.postway.router.domain.QueueEntry;
import io.postway.router.domain.RecipientDomains;
import io.postway.router.domain.RouterDiagnoses;
import io.postway.router.domain.RoutingDecision;
import io.postway.router.domain.RoutingDecisions;
import io.postway.router.infra.DeferredQueueInserts;
import io.postway.router.infra.DeferredQueueRepository;
import io.postway.router.infra.PolicyCache;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

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
 * Carries out the routing decisions ({@link RoutingDecisions}) for what arrives: writes the jobs on
 * mail.outbound, the router's own delivery events, and the deferred queue's new entries.
 *
 * <p>Every method returns only once what it produced is acknowledged by Kafka and written to
 * PostgreSQL, so its caller may then commit the input (offset or queue deletion). Ids are
 * deterministic, so a replay after a crash produces the same jobs again, never different ones.
 */
public final class MessageRouter {

    private static final long ACK_TIMEOUT_SECONDS = 60;
    /** Queue rows from mail.deferred committed together at most (RouterChannels keeps up to this many in flight). */
    public static final int DEFERRED_INSERT_BATCH = 200;

    /** Where the router writes. */
    public record Topics(String outbound, String deliveryEvents) {
    }

    private final RecordSink sink;
    private final DeliveryEvents events;
    private final PolicyCache policies;
    private final DeferredQueueRepository queue;
    private final DeferredQueueInserts deferredInserts;
    private final Topics topics;
    private final Duration unknownPolicyRetry;
    private final Clock clock;
    private final Counter jobsFromSubmitted;
    private final Counter jobsFromQueue;
    private final Counter heldBack;
    private final Counter bounced;
    private final Counter expired;

    public MessageRouter(RecordSink sink, DeliveryEvents events, PolicyCache policies, DeferredQueueRepository queue,
                         Topics topics, Duration unknownPolicyRetry, Clock clock, MeterRegistry meters) {
        this.sink = sink;
        this.events = events;
        this.policies = policies;
        this.queue = queue;
        this.deferredInserts = new DeferredQueueInserts(queue, DEFERRED_INSERT_BATCH);
        this.topics = topics;
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
            acks.add(emit(events.event(EventType.BOUNCED, mail.messageId(), invalid.recipient(), null, 0, now)
                    .diagnosis(RouterDiagnoses.invalidDomain(invalid.recipient(), invalid.reason()))
                    .submittedAt(mail.submittedAt()).build()));
            bounced.increment();
        }
        for (Map.Entry<String, List<String>> group : grouping.byDomain().entrySet()) {
            String domain = group.getKey();
            RoutingDecision decision = RoutingDecisions.forSubmitted(domain, policies.resolve(domain), now,
                    unknownPolicyRetry);
            if (decision instanceof RoutingDecision.Route route) {
                acks.add(sendJob(mail.messageId(), domain, mail.from(), group.getValue(), route.attempt(),
                        mail.submittedAt(), mail.content(), route.policy()));
                jobsFromSubmitted.increment();
            } else if (decision instanceof RoutingDecision.Wait wait) {
                acks.addAll(holdBack(mail, domain, group.getValue(), now, wait));
            } else {
                throw new IllegalStateException("a submitted message is routed or waits, not " + decision);
            }
        }
        return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
    }

    private List<CompletableFuture<Void>> holdBack(SubmittedMail mail, String domain, List<String> recipients, Instant now,
                                                   RoutingDecision.Wait wait) throws SQLException {
        queue.insert(new QueueEntry(JobIds.entryId(mail.messageId(), domain, 0, recipients), mail.messageId(), domain,
                mail.from(), recipients, 0, mail.submittedAt(), now, wait.nextAttemptAt(), wait.diagnosis(), null, null,
                mail.content()));
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (String r : recipients) {
            acks.add(emit(events.event(EventType.DEFERRED, mail.messageId(), r, domain, 0, now)
                    .diagnosis(wait.diagnosis()).nextAttemptAt(wait.nextAttemptAt()).submittedAt(mail.submittedAt()).build()));
            heldBack.increment();
        }
        return acks;
    }

    /**
     * Decides a due entry again under the policy in force now and carries the decision out: returns
     * only after Kafka acknowledged what replaces the entry, so the caller may then remove it (or,
     * for a {@link RoutingDecision.Wait}, reschedule it).
     */
    public RoutingDecision routeQueued(QueueEntry entry) throws Exception {
        Instant now = clock.instant();
        RoutingDecision decision = RoutingDecisions.forQueued(entry, policies.resolve(entry.domain()), now,
                unknownPolicyRetry);
        if (decision instanceof RoutingDecision.Expire expire) {
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            for (String r : entry.recipients()) {
                acks.add(emitEnd(EventType.EXPIRED, entry, r, expire.policy(), expire.diagnosis(), now));
                expired.increment();
            }
            await(acks);
        } else if (decision instanceof RoutingDecision.Route route) {
            await(List.of(sendJob(entry.messageId(), entry.domain(), entry.from(), entry.recipients(), route.attempt(),
                    entry.submittedAt(), entry.content(), route.policy())));
            jobsFromQueue.increment();
        }
        return decision;
    }

    /** Gives up on a queued entry at an administrator's request: every recipient ends bounced. */
    public RoutingDecision bounceQueued(QueueEntry entry, String diagnosis) throws Exception {
        Instant now = clock.instant();
        EffectivePolicy policy = policies.resolve(entry.domain()).orElse(null);
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (String r : entry.recipients()) {
            acks.add(emitEnd(EventType.BOUNCED, entry, r, policy, diagnosis, now));
            bounced.increment();
        }
        await(acks);
        return new RoutingDecision.Bounce(policy, diagnosis);
    }

    /**
     * mail.deferred into the queue, due when delivery promised (or by the policy in force for an
     * older record). A record whose domain is no valid domain name is never queued: its recipients
     * are bounced with a diagnosis, as on mail.submitted. Completes when the row is committed (in a
     * batch with the other records being handled: {@link DeferredQueueInserts}) or Kafka
     * acknowledged the bounces.
     */
    public CompletableFuture<Void> enqueueDeferred(DeferredMail d) throws SQLException {
        Instant deferredAt = d.deferredAt() == null ? clock.instant() : d.deferredAt();
        Instant submittedAt = d.submittedAt() == null ? deferredAt : d.submittedAt();
        Optional<String> normalized = Domains.normalize(d.domain());
        if (normalized.isEmpty()) {
            return bounceInvalidDomain(d, submittedAt);
        }
        String domain = normalized.get();
        Instant next = RoutingDecisions.deferredDueAt(d.nextAttemptAt(), submittedAt, deferredAt, d.attempt(),
                () -> policies.resolve(domain), unknownPolicyRetry);
        return deferredInserts.insert(new QueueEntry(JobIds.entryId(d.messageId(), domain, d.attempt(), d.recipients()),
                d.messageId(), domain, d.from(), List.copyOf(d.recipients()), d.attempt(), submittedAt, deferredAt,
                next, d.diagnosis() == null ? "" : d.diagnosis(), d.policyRule(), d.policyVersion(), d.content()));
    }

    private CompletableFuture<Void> bounceInvalidDomain(DeferredMail d, Instant submittedAt) {
        Instant now = clock.instant();
        String reason = RecipientDomains.notADomain(d.domain());
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (String r : d.recipients()) {
            acks.add(emit(events.event(EventType.BOUNCED, d.messageId(), r, null, d.attempt(), now)
                    .diagnosis(RouterDiagnoses.invalidDomain(r, reason)).submittedAt(submittedAt).build()));
            bounced.increment();
        }
        return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> sendJob(String messageId, String domain, String from, List<String> recipients,
                                            int attempt, Instant submittedAt, byte[] content, EffectivePolicy policy) {
        OutboundJob job = new OutboundJob(JobIds.jobId(messageId, domain, attempt, recipients).toString(), messageId,
                domain, from, recipients, attempt, submittedAt, content, policy);
        // wire format 2: the message bytes go on as the value, untouched; the rest in the metadata header
        MailRecords.Encoded encoded = MailRecords.write(job);
        RecordHeaders headers = new RecordHeaders();
        encoded.headers().forEach(headers::add);
        // a hot domain is keyed domain#slot/slots, so its jobs spread over partitions and workers (OutboundKey)
        String key = OutboundKey.of(domain, job.jobId(), policy.limits().maxConnections());
        return sink.send(new ProducerRecord<>(topics.outbound(), null, key, encoded.value(), headers));
    }

    private CompletableFuture<Void> emitEnd(EventType type, QueueEntry entry, String recipient, EffectivePolicy policy,
                                            String diagnosis, Instant now) {
        return emit(events.event(type, entry.messageId(), recipient, entry.domain(), entry.attempt(), now)
                .policy(policy).diagnosis(diagnosis).submittedAt(entry.submittedAt()).build());
    }

    private CompletableFuture<Void> emit(DeliveryEvent event) {
        return sink.send(DeliveryEventRecord.of(topics.deliveryEvents(), event));
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
