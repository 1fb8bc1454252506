package io.postway.delivery.mailclient;

import io.netty.buffer.Unpooled;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * Holds the lines of message data the mail client writes one socket write each, so that they go
 * out together with what follows. vertx-mail-client 4.5.x writes the header block (one line), then
 * its text line by line (for delivery: {@link BodySwap}'s one-line stand-in, replaced by the body,
 * {@link #body}), and QUIT, with {@code NetSocket.write(String)} (its only caller: {@code
 * SMTPConnection.writeLineWithDrainPromise}); the other commands and the final dot go through
 * {@code write(String, Handler)} (VertxMailClientPinTest pins the two overloads).
 * <p>
 * A line write is appended to a pending buffer and its future completes at once. Pending data never
 * outlives the event-loop task that wrote it: the body, a command or the final dot takes it along
 * in the same write, and whatever is left at the end of the task (a lone QUIT) goes out then.
 * {@code end}, {@code close} and {@code upgradeToSsl} first send what is pending. After a failed
 * write every further line and body write fails at once with the same cause; the dot's own write
 * fails on the broken connection, which the client handles as before (it shuts the connection down
 * and fails the send).
 * <p>
 * Used on the connection's event loop only (the client writes through its context), like the socket.
 */
final class CoalescedWrites {

    /** Room a pending buffer starts with: a header block fits without growing. */
    private static final int INITIAL_BYTES = 8 * 1024;

    private final Vertx vertx;
    private final NetSocket real;
    private Buffer pending;
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
            pending = Buffer.buffer(INITIAL_BYTES);
            // queued behind the task writing now: what it leaves pending goes out right after it
            vertx.runOnContext(v -> flush());
        }
        pending.appendString(data); // UTF-8, as NetSocket.write(String) encodes
        return Future.succeededFuture();
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
    }

    private Buffer take() {
        Buffer taken = pending;
        pending = null;
        return taken;
    }
}
