package io.postway.delivery.mailclient;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        final List<String> writes = new ArrayList<>();
        final List<Handler<AsyncResult<Void>>> handlers = new ArrayList<>();
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
    void linesAreHeldUntilAChunkIsFullThenGoOutInOneWriteInOrder() throws Exception {
        RecordingSocket rec = new RecordingSocket();
        CoalescedWrites writes = new CoalescedWrites(VERTX, rec.socket());
        StringBuilder expected = new StringBuilder();
        List<Future<Void>> futures = onContext(() -> {
            List<Future<Void>> fs = new ArrayList<>();
            for (int i = 0; i < CoalescedWrites.MAX_LINES - 1; i++) {
                expected.append(line(i));
                fs.add(writes.line(line(i)));
            }
            return fs;
        });
        assertTrue(futures.stream().allMatch(Future::succeeded), "lines below a chunk complete at once");
        assertEquals(List.of(), rec.writes, "and nothing was written yet");

        String last = line(CoalescedWrites.MAX_LINES);
        expected.append(last);
        boolean[] completedOnTheCallersStack = new boolean[1];
        Future<Void> chunk = onContext(() -> {
            Future<Void> f = writes.line(last);
            completedOnTheCallersStack[0] = f.isComplete(); // asked before the loop takes its next task
            return f;
        });
        assertFalse(completedOnTheCallersStack[0], "the line that fills the chunk completes on a later turn of the loop, not on the client's stack");
        chunk.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(List.of(expected.toString()), rec.writes, "one write, every line in order");
    }

    @Test
    void aChunkIsWrittenOnceItHoldsMaxBytes() throws Exception {
        RecordingSocket rec = new RecordingSocket();
        CoalescedWrites writes = new CoalescedWrites(VERTX, rec.socket());
        String big = "y".repeat(CoalescedWrites.MAX_BYTES - 2) + "\r\n";
        onContext(() -> writes.line(big)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(List.of(big), rec.writes);
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
    void aFailedChunkFailsItsLineAndEveryLaterLineWithTheSameCause() throws Exception {
        RecordingSocket rec = new RecordingSocket();
        IOException broken = new IOException("connection reset");
        rec.outcome = () -> Future.failedFuture(broken);
        CoalescedWrites writes = new CoalescedWrites(VERTX, rec.socket());
        String big = "z".repeat(CoalescedWrites.MAX_BYTES) + "\r\n";
        Future<Void> chunk = onContext(() -> writes.line(big));
        Promise<Throwable> cause = Promise.promise();
        chunk.onComplete(ar -> cause.complete(ar.cause()));
        assertSame(broken, cause.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        Future<Void> later = onContext(() -> writes.line("more\r\n"));
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
