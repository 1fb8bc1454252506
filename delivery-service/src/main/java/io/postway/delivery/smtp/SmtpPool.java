package io.postway.delivery.smtp;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;

/**
 * Sessions to one destination under one policy, reused across messages: at most
 * {@code maxConnections} of them (one connection each), the rest of the jobs waiting (bounded)
 * for a session to come free. A stalled server therefore ties up only its own pool.
 */
final class SmtpPool {

    /** No session of the pool came free within the wait. */
    static final class AllBusy extends RuntimeException {
        AllBusy(int max) {
            super("all " + max + " sessions busy", null, false, false);
        }
    }

    private final Vertx vertx;
    private final int max;
    private final Supplier<PooledSession> opener;
    private final Deque<PooledSession> idle = new ArrayDeque<>();
    private final Deque<Promise<PooledSession>> waiters = new ArrayDeque<>();
    private int open;
    /** Set once, under the lock, when the idle cleanup took the pool out of use: nothing is acquired from it after. */
    private boolean retired;

    SmtpPool(Vertx vertx, int max, Supplier<PooledSession> opener) {
        this.vertx = vertx;
        this.max = Math.max(1, max);
        this.opener = opener;
    }

    /**
     * A session, now or once one comes free (failed with {@link AllBusy} after {@code maxWait}); null
     * when the pool was retired in the meantime: the caller looks the pool up again.
     */
    Future<PooledSession> acquire(Duration maxWait) {
        Promise<PooledSession> promise = Promise.promise();
        boolean openNew = false;
        synchronized (this) {
            if (retired) {
                return null;
            }
            PooledSession s = idle.pollFirst();
            if (s != null) {
                return Future.succeededFuture(s);
            }
            if (open < max) {
                open++;
                openNew = true;
            } else {
                waiters.addLast(promise);
            }
        }
        if (openNew) {
            openFor(promise);
        } else {
            vertx.setTimer(maxWait.toMillis(), id -> {
                boolean removed;
                synchronized (this) {
                    removed = waiters.remove(promise);
                }
                if (removed) {
                    promise.tryFail(new AllBusy(max));
                }
            });
        }
        return promise.future();
    }

    /** Creating a session opens nothing yet: its mail client connects on the first send. */
    private void openFor(Promise<PooledSession> promise) {
        promise.complete(opener.get());
    }

    /** Hands the session to the next job, keeps it idle, or closes it after a failed send. */
    void release(PooledSession session, boolean reusable) {
        Promise<PooledSession> waiter = null;
        synchronized (this) {
            if (reusable) {
                waiter = waiters.pollFirst();
                if (waiter == null) {
                    session.idleSince = System.nanoTime();
                    idle.addLast(session);
                    return;
                }
            } else {
                open--;
            }
        }
        if (waiter != null) {
            waiter.complete(session);
            return;
        }
        session.close();
        serveWaiter();
    }

    private void serveWaiter() {
        Promise<PooledSession> waiter;
        synchronized (this) {
            if (open >= max || waiters.isEmpty()) {
                return;
            }
            waiter = waiters.pollFirst();
            open++;
        }
        openFor(waiter);
    }

    /**
     * Closes sessions idle for longer than {@code idleTimeout}; when none is left open and no job
     * waits, retires the pool (in the same lock as {@link #acquire}, so no job can be handed a
     * session of a retired pool) and returns true: the caller removes it.
     */
    boolean retireIfIdle(Duration idleTimeout) {
        long now = System.nanoTime();
        Deque<PooledSession> expired = new ArrayDeque<>();
        boolean empty;
        synchronized (this) {
            idle.removeIf(s -> {
                boolean gone = now - s.idleSince > idleTimeout.toNanos();
                if (gone) {
                    expired.add(s);
                    open--;
                }
                return gone;
            });
            retired = open == 0 && waiters.isEmpty();
            empty = retired;
        }
        expired.forEach(PooledSession::close);
        return empty;
    }

    void closeAll() {
        Deque<PooledSession> all;
        synchronized (this) {
            all = new ArrayDeque<>(idle);
            open -= idle.size();
            idle.clear();
        }
        all.forEach(PooledSession::close);
    }

    int max() {
        return max;
    }

    synchronized int openCount() {
        return open;
    }
}
