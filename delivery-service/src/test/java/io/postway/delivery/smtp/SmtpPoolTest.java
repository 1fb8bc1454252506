package io.postway.delivery.smtp;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The idle cleanup against a job that was just handed the pool: both orders, step by step. */
class SmtpPoolTest {

    static final Vertx VERTX = Vertx.vertx();

    @AfterAll
    static void close() throws Exception {
        VERTX.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aPoolRetiredAfterItWasHandedOutGivesNoSessionSoTheJobLooksItUpAgain() {
        AtomicInteger opened = new AtomicInteger();
        // opening a session creates no connection; the cases here never send, so none is needed
        SmtpPool pool = new SmtpPool(VERTX, 1, () -> {
            opened.incrementAndGet();
            return null;
        });
        // the job got the pool from the map, then the cleanup ran before its acquire
        assertTrue(pool.retireIfIdle(Duration.ZERO));
        assertNull(pool.acquire(Duration.ofSeconds(1)), "a retired pool hands out nothing");
        assertEquals(0, opened.get());
        assertEquals(0, pool.openCount());
    }

    @Test
    void aPoolWithASessionHandedOutIsNotRetired() {
        SmtpPool pool = new SmtpPool(VERTX, 1, () -> null);
        Future<PooledSession> acquired = pool.acquire(Duration.ofSeconds(1));
        assertNotNull(acquired);
        assertTrue(acquired.succeeded());
        // the cleanup runs while the job holds the session: the pool stays, and still counts it
        assertFalse(pool.retireIfIdle(Duration.ZERO));
        assertEquals(1, pool.openCount());
        // and a second job waits for it (max 1) instead of getting a pool of its own
        Future<PooledSession> second = pool.acquire(Duration.ofSeconds(30));
        assertNotNull(second);
        assertFalse(second.isComplete());
        assertFalse(pool.retireIfIdle(Duration.ZERO), "a waiting job keeps the pool too");
    }
}
