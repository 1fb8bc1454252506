package io.postway.router.infra;

import io.postway.router.domain.QueueEntry;
import io.postway.router.messaging.MessageRouter;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

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

    /** One batch in one transaction; returns what happened to each claimed entry. */
    public Map<MessageRouter.QueueOutcome, Integer> claimOnce() throws SQLException {
        Map<MessageRouter.QueueOutcome, Integer> outcomes = new EnumMap<>(MessageRouter.QueueOutcome.class);
        try (Connection c = queue.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try {
                List<QueueEntry> due = queue.claimDue(c, clock.instant(), batchSize);
                for (QueueEntry entry : due) {
                    try {
                        outcomes.merge(router.routeQueued(c, entry), 1, Integer::sum);
                    } catch (Exception e) {
                        // keep what is done (its jobs are acknowledged); the rest waits for the next run
                        LOG.warnf("re-routing queue entry %s (message %s, %s) failed, it stays queued: %s",
                                entry.id(), entry.messageId(), entry.domain(), e.toString());
                        break;
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return outcomes;
    }

    /** Claims batches until none is full (so a flush of many entries does not wait a tick per batch). */
    public int drain() throws SQLException {
        int total = 0;
        for (int i = 0; i < 100; i++) {
            int n = claimOnce().values().stream().mapToInt(Integer::intValue).sum();
            total += n;
            if (n < batchSize) {
                break;
            }
        }
        return total;
    }
}
