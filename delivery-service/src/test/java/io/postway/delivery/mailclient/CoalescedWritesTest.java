package io.postway.delivery.mailclient;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@link CoalescedWrites} sends to the socket, and when each line's future completes. */
class CoalescedWritesTest {

    private static final Vertx VERTX = Vertx.vertx();

    @AfterAll
    static void close() throws Exception {
        VERTX.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** The socket's writes as they arrive; each {@code write(Buffer)} completes with {@code outcome}. */
    private static final class RecordingSocket {
        final List<String> writes = new CopyOnWriteArrayList<>();
        final List<Handler<AsyncResult<Void>>> handlers = new CopyOnWriteArrayList<>();
        Supplier<Future<Void>> outcome = Future::succeededFuture;

        @SuppressWarnings("unchecked")
        NetSocket socket() {
            return (NetSocket) Proxy.newProxyInstance(NetSocket.class.getClassLoader(), new Class<?>[]{NetSocket.class},
                    (self, method, args) -> {
                        if (method.getName().equals("write") && (args[0] instanceof Buffer || args[0] instanceof String)) {
                            writes.add(args[0] instanceof Buffer b ? b.toString(StandardCharsets.UTF_8) : (String) args[0]);
                            if (args.length == 2) {
                                handlers.add((Handler<AsyncResult<Void>>) args[1]);
                                return null;
                            }
                            return outcome.get();
                        }
                        throw new UnsupportedOperationException(method.getName());
                    });
        }
    }

    /** Runs {@code work} on an event loop context, as the mail client does, and waits for its result. */
    private static <T> T onContext(Supplier<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        VERTX.getOrCreateContext().runOnContext(v -> {
            try {
                result.complete(work.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result.get(10, TimeUnit.SECONDS);
    }

    private static String line(int i) {
        return "line " + i + " " + "x".repeat(70) + "\r\n";
    }

    @Test
    void linesAreHeldForTheTaskThatWritesThemAndGoOutInOneWriteRightAfterIt() throws Exception {
        RecordingSocket rec = new RecordingSocket();
        CoalescedWrites writes = new CoalescedWrites(VERTX, rec.socket());
        StringBuilder expected = new StringBuilder();
        boolean[] heldWhileWriting = new boolean[1];
        List<Future<Void>> futures = onContext(() -> {
            List<Future<Void>> fs = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                expected.append(line(i));
                fs.add(writes.line(line(i)));
            }
            heldWhileWriting[0] = rec.writes.isEmpty();
            return fs;
        });
        assertTrue(futures.stream().allMatch(Future::succeeded), "lines complete at once");
        assertTrue(heldWhileWriting[0], "nothing is written while the task writes lines");
        await().atMost(Duration.ofSeconds(10)).until(() -> !rec.writes.isEmpty());
        assertEquals(List.of(expected.toString()), rec.writes, "one write, every line in order, once the task is over");
    }

    @Test
    void aLoneLineLikeQuitIsNotLeftPending() throws Exception {
        RecordingSocket rec = new RecordingSocket();
        CoalescedWrites writes = new CoalescedWrites(VERTX, rec.socket());
        assertTrue(onContext(() -> writes.line("QUIT\r\n")).succeeded());
        await().atMost(Duration.ofSeconds(10)).until(() -> rec.writes.equals(List.of("QUIT\r\n")));
    }

    @Test
    void aCommandGoesOutTogetherWithWhatIsPendingAndCarriesItsHandler() throws Exception {
        RecordingSocket rec = new RecordingSocket();
        CoalescedWrites writes = new CoalescedWrites(VERTX, rec.socket());
        Handler<AsyncResult<Void>> dotHandler = ar -> { };
        onContext(() -> {
            writes.line("Subject: x\r\n\r\n");
            writes.line("..body\r\n");
            writes.command(".\r\n", dotHandler);
            writes.command("QUIT\r\n", dotHandler);
            return null;
        });
        assertEquals(List.of("Subject: x\r\n\r\n..body\r\n.\r\n", "QUIT\r\n"), rec.writes);
        assertSame(dotHandler, rec.handlers.get(0));
    }

    @Test
    void aBodyGoesOutInOneWriteWithThePendingHeaderBlockAndCarriesThatWritesOutcome() throws Exception {
        RecordingSocket rec = new RecordingSocket();
        IOException broken = new IOException("connection reset");
        CoalescedWrites writes = new CoalescedWrites(VERTX, rec.socket());
        String body = "x".repeat(100 * 1024) + "\r\n";
        Future<Void> sent = onContext(() -> {
            writes.line("Subject: x\r\n\r\n");
            return writes.body(Buffer.buffer(body));
        });
        assertTrue(sent.succeeded());
        assertEquals(List.of("Subject: x\r\n\r\n" + body), rec.writes);

        rec.outcome = () -> Future.failedFuture(broken);
        Future<Void> failed = onContext(() -> writes.body(Buffer.buffer(body)));
        assertSame(broken, failed.cause());
        assertSame(broken, onContext(() -> writes.line("QUIT\r\n")).cause(), "nothing is written after a failed body");
        assertEquals(2, rec.writes.size());
    }

    @Test
    void anEmptyBodyWritesNothingOfItsOwn() throws Exception {
        RecordingSocket rec = new RecordingSocket();
        CoalescedWrites writes = new CoalescedWrites(VERTX, rec.socket());
        assertTrue(onContext(() -> {
            writes.line("Subject: x\r\n\r\n");
            return writes.body(Buffer.buffer());
        }).succeeded());
        await().atMost(Duration.ofSeconds(10)).until(() -> rec.writes.equals(List.of("Subject: x\r\n\r\n")));
    }

    @Test
    void afterAFailedWriteEveryLaterLineFailsWithTheSameCause() throws Exception {
        RecordingSocket rec = new RecordingSocket();
        IOException broken = new IOException("connection reset");
        rec.outcome = () -> Future.failedFuture(broken);
        CoalescedWrites writes = new CoalescedWrites(VERTX, rec.socket());
        assertTrue(onContext(() -> writes.line("Subject: x\r\n\r\n")).succeeded());
        await().atMost(Duration.ofSeconds(10)).until(() -> rec.writes.size() == 1); // sent, and failed, at the end of the task
        Future<Void> later = onContext(() -> writes.line("QUIT\r\n"));
        assertTrue(later.failed());
        assertSame(broken, later.cause());
        assertEquals(1, rec.writes.size(), "nothing more was written after the failure");
    }

    @Test
    void whatIsPendingIsDroppedWhenTheConnectionIsGone() throws Exception {
        RecordingSocket rec = new RecordingSocket();
        CoalescedWrites writes = new CoalescedWrites(VERTX, rec.socket());
        onContext(() -> {
            writes.line("half a message\r\n");
            writes.discard();
            writes.command("EHLO again\r\n", ar -> { });
            return null;
        });
        assertEquals(List.of("EHLO again\r\n"), rec.writes);
    }
}
