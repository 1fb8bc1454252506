package io.postway.router;

import io.postway.contract.policy.Domains;
import io.postway.router.domain.QueueEntry;
import io.postway.router.domain.RouterDiagnoses;
import io.postway.router.infra.DeferredQueueRepository;
import io.postway.router.infra.PolicyCache;
import io.postway.router.messaging.MessageRouter;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What an administrator may do with the deferred queue, decided here and nowhere else: look at it
 * per domain, make a domain's entries due now, give up on a message. The admin API only maps these
 * answers and refusals to HTTP; the queue gauges read the same summary.
 */
public final class QueueAdmin {

    /** One domain's waiting mail; the age counts from the oldest message's acceptance. */
    public record DomainSummary(String domain, long entries, long recipients, Instant oldestSubmittedAt,
                                long oldestAgeSeconds, Instant nextAttemptAt) {
    }

    public record Summary(List<DomainSummary> domains, long entries, long recipients) {
    }

    /** A domain's entries (without their content), in due order. */
    public record DomainEntries(String domain, List<QueueEntry> entries) {
    }

    public record Flushed(String domain, int flushed) {
    }

    public record Bounced(String messageId, int bounced) {
    }

    /** The name given is not a mail domain (so nothing of it can wait). */
    public static final class NotADomain extends Exception {
        NotADomain(String raw) {
            super("'" + raw + "' is not a domain name.", null, false, false);
        }
    }

    /** Nothing of the message waits: never queued, already routed, expired or deleted. */
    public static final class NothingWaiting extends Exception {
        NothingWaiting(String messageId) {
            super("No recipients of message " + messageId + " wait in the queue.", null, false, false);
        }
    }

    /**
     * The policy cache is still loading: a bounce now would carry no policy, or not the one in force
     * (its event's {@code policy} is null only when no policy is known), so the router refuses to end
     * mail before it knows its policies, as it refuses to route it.
     */
    public static final class PoliciesNotLoaded extends Exception {
        PoliciesNotLoaded() {
            super("The router is still loading its policies; try again in a few seconds.", null, false, false);
        }
    }

    private final DeferredQueueRepository queue;
    private final MessageRouter router;
    private final PolicyCache policies;
    private final Clock clock;

    public QueueAdmin(DeferredQueueRepository queue, MessageRouter router, PolicyCache policies, Clock clock) {
        this.queue = queue;
        this.router = router;
        this.policies = policies;
        this.clock = clock;
    }

    public Summary summary() throws SQLException {
        Instant now = clock.instant();
        List<DomainSummary> domains = queue.summary().stream()
                .map(s -> new DomainSummary(s.domain(), s.entries(), s.recipients(), s.oldestSubmittedAt(),
                        Duration.between(s.oldestSubmittedAt(), now).toSeconds(), s.nextAttemptAt()))
                .toList();
        return new Summary(domains, domains.stream().mapToLong(DomainSummary::entries).sum(),
                domains.stream().mapToLong(DomainSummary::recipients).sum());
    }

    /** The entries of a domain, named in any form the contract normalises (case, IDN). */
    public DomainEntries entries(String domain) throws NotADomain, SQLException {
        String d = canonical(domain);
        return new DomainEntries(d, queue.entries(d));
    }

    /** Makes a domain's entries due now ({@code postqueue -s}): the scheduler routes them under the policy in force. */
    public Flushed flush(String domain) throws NotADomain, SQLException {
        String d = canonical(domain);
        return new Flushed(d, queue.flush(d, clock.instant()));
    }

    /**
     * Gives up on a message now: every waiting recipient ends bounced ({@value RouterDiagnoses#DELETED_BY_ADMIN}),
     * each entry deleted only once its events are acknowledged; all of it or nothing.
     */
    public Bounced delete(String messageId) throws Exception {
        if (!policies.initialLoadDone()) {
            throw new PoliciesNotLoaded();
        }
        List<DeferredQueueRepository.Decided> bounced = queue.claimMessage(messageId,
                entry -> router.bounceQueued(entry, RouterDiagnoses.DELETED_BY_ADMIN));
        if (bounced.isEmpty()) {
            throw new NothingWaiting(messageId);
        }
        return new Bounced(messageId, bounced.stream().mapToInt(d -> d.entry().recipients().size()).sum());
    }

    private static String canonical(String domain) throws NotADomain {
        return Domains.normalize(domain).orElseThrow(() -> new NotADomain(domain));
    }
}
