package io.postway.router.infra;

import io.postway.router.domain.QueueEntry;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The deferred queue's inserts from mail.deferred, written in batches (group commit): while one
 * caller writes a batch, the entries of the others wait, and the next batch takes all of them at
 * once, up to {@code maxBatch}: one transaction and one round trip per batch instead of per record.
 * No thread of its own: the caller that finds nobody writing writes, until nothing is pending (the
 * channel's handlings run on worker threads and may block).
 *
 * <p>Each future completes once its entry's transaction committed (or fails with it, so the record
 * is retried whole: the entry id is deterministic and a repeat inserts nothing).
 */
public final class DeferredQueueInserts {

    private record Pending(QueueEntry entry, CompletableFuture<Void> committed) {
    }

    private final DeferredQueueRepository queue;
    private final int maxBatch;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private boolean writing;

    public DeferredQueueInserts(DeferredQueueRepository queue, int maxBatch) {
        this.queue = queue;
        this.maxBatch = maxBatch;
    }

    public CompletableFuture<Void> insert(QueueEntry entry) {
        CompletableFuture<Void> committed = new CompletableFuture<>();
        synchronized (this) {
            pending.add(new Pending(entry, committed));
            if (writing) {
                return committed;
            }
            writing = true;
        }
        writePending();
        return committed;
    }

    private void writePending() {
        while (true) {
            List<Pending> batch = new ArrayList<>();
            synchronized (this) {
                while (!pending.isEmpty() && batch.size() < maxBatch) {
                    batch.add(pending.poll());
                }
                if (batch.isEmpty()) {
                    writing = false;
                    return;
                }
            }
            try {
                queue.insertAll(batch.stream().map(Pending::entry).toList());
                batch.forEach(p -> p.committed().complete(null));
            } catch (Exception | Error e) {
                batch.forEach(p -> p.committed().completeExceptionally(e));
            }
        }
    }
}
