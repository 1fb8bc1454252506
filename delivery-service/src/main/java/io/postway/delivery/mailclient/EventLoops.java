package io.postway.delivery.mailclient;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs work on an event loop whatever thread asks: sockets and their callbacks are bound to the
 * context that opens them, and a worker context (a blocking Kafka consumer) would queue every SMTP
 * reply behind the blocked worker threads of its pool. Vert.x core 4.5 has no public way to make
 * one event-loop context per event loop, so this uses its internals ({@code VertxInternal},
 * {@code ContextInternal}) — the only place in delivery that does (VertxMailClientPinTest).
 */
public final class EventLoops {

    private final ContextInternal[] loops;
    private final AtomicInteger next = new AtomicInteger();

    public EventLoops(Vertx vertx) {
        VertxInternal vi = (VertxInternal) vertx;
        int eventLoops = 0;
        for (var ignored : vi.getEventLoopGroup()) {
            eventLoops++;
        }
        this.loops = new ContextInternal[Math.max(1, eventLoops)];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = vi.createEventLoopContext();
        }
    }

    /** Runs {@code work} at once when already on one of the loops, else on the next loop in turn. */
    public <T> Future<T> run(Supplier<Future<T>> work) {
        Context current = Vertx.currentContext();
        for (ContextInternal loop : loops) {
            if (loop == current) {
                return work.get();
            }
        }
        Promise<T> done = Promise.promise();
        loops[Math.floorMod(next.getAndIncrement(), loops.length)].runOnContext(v -> work.get().onComplete(done));
        return done.future();
    }
}
