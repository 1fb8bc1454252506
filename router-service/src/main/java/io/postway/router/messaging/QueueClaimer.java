package io.postway.router.messaging;

import io.postway.runtime.MessageLog;
import io.postway.router.domain.QueueEntry;
import io.postway.router.domain.RoutingDecision;
import io.postway.router.infra.DeferredQueueRepository;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;

/**
 * Takes due entries from the deferred queue and routes them again. Any number of claimers (threads,
 * replicas) may run against one database: each batch is locked with FOR UPDATE SKIP LOCKED and the
 * lock is held until the entries' replacements are acknowledged by Kafka and the entries deleted.
 * A crash in between rolls the transaction back: the entries come due again and are routed with
 * the same job ids (a duplicate delivery can recognise, never a loss).
 */
public final class QueueClaimer {

    private static final Logger LOG = Logger.getLogger(QueueClaimer.class);

    private final DeferredQueueRepository queue;
    private final MessageRouter router;
    private final int batchSize;
    private final Clock clock;

    public QueueClaimer(DeferredQueueRepository queue, MessageRouter router, int batchSize, Clock clock) {
        this.queue = queue;
        this.router = router;
        this.batchSize = batchSize;
        this.clock = clock;
    }

    /** One batch in one transaction; returns how many entries were decided. */
    public int claimOnce() throws SQLException {
        return queue.claimDue(clock.instant(), batchSize, this::routeAgain).size();
    }

    private Optional<RoutingDecision> routeAgain(QueueEntry entry) {
        try (MessageLog ignored = MessageLog.of(entry.messageId())) {
            try {
                return Optional.of(router.routeQueued(entry));
            } catch (Exception e) {
                // keep what is done (its jobs are acknowledged); the rest waits for the next run
                LOG.warnf("re-routing queue entry %s (message %s, %s) failed, it stays queued: %s",
                        entry.id(), entry.messageId(), entry.domain(), e.toString());
                return Optional.empty();
            }
        }
    }

    /** Claims batches until none is full (so a flush of many entries does not wait a tick per batch). */
    public int drain() throws SQLException {
        int total = 0;
        for (int i = 0; i < 100; i++) {
            int n = claimOnce();
            total += n;
            if (n < batchSize) {
                break;
            }
        }
        return total;
    }
}
