package io.postway.delivery.infra;

import io.postway.delivery.domain.SessionFailure.Kind;
import io.postway.delivery.domain.Stage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;

/**
 * Sessions to one destination under one policy, reused across messages: at most
 * {@code maxConnections} open, each carrying at most {@code messagesPerConnection} messages, the
 * rest of the jobs waiting (bounded) for a session to come free. A stalled server therefore ties
 * up only its own pool.
 */
final class SmtpPool {

    private final Vertx vertx;
    private final String host;
    private final int max;
    private final int perConnection;
    private final Supplier<Future<SmtpSession>> opener;
    private final Deque<SmtpSession> idle = new ArrayDeque<>();
    private final Deque<Promise<SmtpSession>> waiters = new ArrayDeque<>();
    private int open;

    SmtpPool(Vertx vertx, String host, int max, int perConnection, Supplier<Future<SmtpSession>> opener) {
        this.vertx = vertx;
        this.host = host;
        this.max = Math.max(1, max);
        this.perConnection = Math.max(1, perConnection);
        this.opener = opener;
    }

    Future<SmtpSession> acquire(Duration maxWait) {
        Promise<SmtpSession> promise = Promise.promise();
        boolean openNew = false;
        synchronized (this) {
            SmtpSession s;
            while ((s = idle.pollFirst()) != null) {
                if (s.connection.isOpen()) {
                    return Future.succeededFuture(s);
                }
                open--;
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
                    SmtpFailureException e = new SmtpFailureException(Kind.BUSY, Stage.CONNECT, null, String.valueOf(max));
                    promise.tryFail(e);
                }
            });
        }
        return promise.future();
    }

    private void openFor(Promise<SmtpSession> promise) {
        opener.get().onComplete(ar -> {
            if (ar.succeeded()) {
                promise.complete(ar.result());
            } else {
                synchronized (this) {
                    open--;
                }
                promise.fail(ar.cause());
                serveWaiter();
            }
        });
    }

    /** Hands the session to the next job, keeps it idle, or closes it when it carried enough. */
    void release(SmtpSession session, boolean reusable) {
        session.messagesSent++;
        boolean keep = reusable && session.connection.isOpen() && session.messagesSent < perConnection;
        Promise<SmtpSession> waiter = null;
        synchronized (this) {
            if (keep) {
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
        if (reusable) {
            session.connection.quit();
        } else {
            session.connection.close();
        }
        serveWaiter();
    }

    private void serveWaiter() {
        Promise<SmtpSession> waiter;
        synchronized (this) {
            if (open >= max || waiters.isEmpty()) {
                return;
            }
            waiter = waiters.pollFirst();
            open++;
        }
        openFor(waiter);
    }

    /** Closes sessions idle for longer than {@code idleTimeout}; true when the pool is empty and can go. */
    boolean closeIdle(Duration idleTimeout) {
        long now = System.nanoTime();
        Deque<SmtpSession> expired = new ArrayDeque<>();
        boolean empty;
        synchronized (this) {
            idle.removeIf(s -> {
                boolean gone = !s.connection.isOpen() || now - s.idleSince > idleTimeout.toNanos();
                if (gone) {
                    expired.add(s);
                    open--;
                }
                return gone;
            });
            empty = open == 0 && waiters.isEmpty();
        }
        expired.forEach(s -> s.connection.quit());
        return empty;
    }

    void closeAll() {
        Deque<SmtpSession> all;
        synchronized (this) {
            all = new ArrayDeque<>(idle);
            open -= idle.size();
            idle.clear();
        }
        all.forEach(s -> s.connection.quit());
    }

    synchronized int openCount() {
        return open;
    }

    String host() {
        return host;
    }
}
