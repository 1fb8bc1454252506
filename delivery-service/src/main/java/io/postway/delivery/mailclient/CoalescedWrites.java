package io.postway.delivery.mailclient;

import io.netty.buffer.Unpooled;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * Turns the mail client's one-socket-write-per-line message data into a few large writes. Since
 * the body goes out as bytes ({@link BodySwap}, {@link #body}), the lines left are the header block
 * (held, and sent with the body) and QUIT; the chunking below still bounds any line data the client
 * writes (a text of its own, a future version writing more lines).
 * vertx-mail-client 4.5.x writes the header block, every body line and every MIME boundary (and
 * QUIT) with {@code NetSocket.write(String)} (its only caller: {@code
 * SMTPConnection.writeLineWithDrainPromise}) and writes the next line only when the previous
 * line's future has completed; the other commands and the final dot go through
 * {@code write(String, Handler)}.
 * A 100 KB body is therefore ~1,350 flushed socket writes, each one a system call here and a read
 * at the server (VertxMailClientPinTest pins the two overloads).
 * <p>
 * Here a line write is appended to a pending buffer and its future completes at once, until the
 * buffer holds {@link #MAX_BYTES} or {@link #MAX_LINES} lines: then the buffer goes out as one write
 * and that line's future is the write's own, handed back on the next turn of the event loop. Pending
 * data never outlives the event-loop task that wrote it: whatever is left at the end of the task
 * (the last chunk of a message, a lone QUIT) goes out then. So:
 * <ul>
 *   <li>back-pressure is as before, per chunk instead of per line: the client writes the next chunk
 *       only after the previous one was written, and it still asks {@code writeQueueFull} before
 *       each line;</li>
 *   <li>the client's recursion (each completed line future writes the next line on the same stack)
 *       is at most {@link #MAX_LINES} deep before the stack unwinds;</li>
 *   <li>any other write (a command, the final dot), {@code end}, {@code close} and {@code
 *       upgradeToSsl} first sends what is pending (in one write with a command written in the
 *       same task, carrying its handler);</li>
 *   <li>a failed chunk write fails that line's future (the client fails the send with that cause,
 *       as when a line write failed before); after a failed write (a chunk, or the rest sent at the
 *       end of a task) every further line write fails at once with the same cause, and the dot's
 *       own write fails on the broken connection, which the client handles as before (it shuts the
 *       connection down and fails the send).</li>
 * </ul>
 * Used on the connection's event loop only (the client writes through its context), like the socket.
 */
final class CoalescedWrites {

    /** A chunk: large enough that a 100 KB message takes a handful of writes, well under Netty's 64 KiB high-water mark per write. */
    static final int MAX_BYTES = 32 * 1024;
    /** Room the first chunk of a connection starts with: a small message fits without growing. */
    private static final int INITIAL_BYTES = 8 * 1024;
    /**
     * Room for a full chunk: MAX_BYTES plus the line that crosses it (a body line is at most 1000
     * octets), so that it never grows (growing doubles the array: 8, 16, 32 and 64 KiB allocated
     * and 56 KiB copied per 32 KiB chunk).
     */
    private static final int FULL_CHUNK_BYTES = MAX_BYTES + 2 * 1024;
    /** Bounds how deep the client's line-after-line recursion goes before a chunk write unwinds it. */
    static final int MAX_LINES = 256;

    private final Vertx vertx;
    private final NetSocket real;
    private Buffer pending;
    /** The room a chunk starts with: a full chunk's once this connection filled one (its messages are large). */
    private int chunkRoom = INITIAL_BYTES;
    private int lines;
    private Throwable failed;

    CoalescedWrites(Vertx vertx, NetSocket real) {
        this.vertx = vertx;
        this.real = real;
    }

    /** A line of message data, as {@code NetSocket.write(String)}. */
    Future<Void> line(String data) {
        if (failed != null) {
            return Future.failedFuture(failed);
        }
        if (pending == null) {
            pending = Buffer.buffer(chunkRoom);
            // queued behind the task writing now: what it leaves pending goes out right after it
            vertx.runOnContext(v -> flush());
        }
        pending.appendString(data); // UTF-8, as NetSocket.write(String) encodes
        if (++lines < MAX_LINES && pending.length() < MAX_BYTES) {
            return Future.succeededFuture();
        }
        chunkRoom = FULL_CHUNK_BYTES;
        Promise<Void> written = Promise.promise();
        real.write(take()).onComplete(ar -> {
            if (ar.failed()) {
                failed = ar.cause();
            }
            // on the next turn: the client's next line must not recurse on this stack
            vertx.runOnContext(v -> written.handle(ar));
        });
        return written.future();
    }

    /**
     * A message body as bytes ({@link BodySwap}), after (and in one write with) what is pending; its
     * future is the write's own. Back-pressure is Netty's: the client asks {@code writeQueueFull}
     * before its next line and waits for this future before the final dot.
     */
    Future<Void> body(Buffer body) {
        if (failed != null) {
            return Future.failedFuture(failed);
        }
        if (body.length() == 0) {
            return Future.succeededFuture(); // an empty body: what is pending goes out at the end of the task
        }
        // header block and body in one write, neither copied (a gathering write of both)
        Buffer data = pending == null ? body : Buffer.buffer(Unpooled.wrappedBuffer(take().getByteBuf(), body.getByteBuf()));
        return real.write(data).onFailure(t -> failed = t);
    }

    /** {@code write(String, Handler)}: a command or the final dot, after (and in one write with) what is pending. */
    void command(String data, Handler<AsyncResult<Void>> handler) {
        if (pending == null) {
            real.write(data, handler);
        } else {
            real.write(take().appendString(data), handler);
        }
    }

    /** Sends what is pending before any other call that writes to, ends or changes the stream. */
    void flush() {
        if (pending != null) {
            real.write(take()).onFailure(t -> failed = t);
        }
    }

    /** The connection is gone: what is pending can never be sent. */
    void discard() {
        pending = null;
        lines = 0;
    }

    private Buffer take() {
        Buffer chunk = pending;
        pending = null;
        lines = 0;
        return chunk;
    }
}
