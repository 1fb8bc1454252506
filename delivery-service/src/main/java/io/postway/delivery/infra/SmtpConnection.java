package io.postway.delivery.infra;

import io.postway.delivery.domain.SessionFailure.Kind;
import io.postway.delivery.domain.SmtpReply;
import io.postway.delivery.domain.Stage;
import io.postway.delivery.domain.Transcript;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;

import javax.net.ssl.SSLSession;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One TCP connection to an SMTP server on a Vert.x {@link NetSocket}: writes commands (pipelined
 * when asked), frames replies (RFC 5321 4.2, multi-line), bounds every wait with a timer and
 * records the transcript. All state is touched on the socket's event loop only.
 */
final class SmtpConnection {

    private final Vertx vertx;
    private final Context context;
    private final NetSocket socket;
    private final Deque<Pending> pending = new ArrayDeque<>();
    private final List<String> partial = new ArrayList<>();
    private volatile Transcript transcript;
    private volatile boolean closed;
    private boolean upgrading;
    private long timer = -1;

    private record Pending(Promise<SmtpReply> promise, Stage stage, long timeoutMs) {
    }

    SmtpConnection(Vertx vertx, Context context, NetSocket socket, Transcript transcript) {
        this.vertx = vertx;
        this.context = context;
        this.socket = socket;
        this.transcript = transcript;
        socket.handler(RecordParser.newDelimited("\n", this::onLine));
        socket.closeHandler(v -> onClosed());
        socket.exceptionHandler(t -> {
            if (!upgrading) {
                failAll(Kind.CONNECTION_CLOSED, t.getClass().getSimpleName() + ": " + t.getMessage());
                socket.close();
            }
        });
    }

    void useTranscript(Transcript t) {
        this.transcript = t;
    }

    Transcript transcript() {
        return transcript;
    }

    boolean isOpen() {
        return !closed;
    }

    boolean isSsl() {
        return socket.isSsl();
    }

    SSLSession sslSession() {
        return socket.sslSession();
    }

    String remoteIp() {
        return socket.remoteAddress() == null ? null : socket.remoteAddress().hostAddress();
    }

    Future<SmtpReply> expectReply(Stage stage, Duration timeout) {
        Promise<SmtpReply> p = Promise.promise();
        context.runOnContext(v -> enqueue(new Pending(p, stage, timeout.toMillis())));
        return p.future();
    }

    Future<SmtpReply> command(String line, Stage stage, Duration timeout) {
        return send(line, line, stage, timeout);
    }

    /** A command carrying a secret: the transcript shows only {@code shown}. */
    Future<SmtpReply> secretCommand(String line, String shown, Stage stage, Duration timeout) {
        return send(line, shown, stage, timeout);
    }

    private Future<SmtpReply> send(String line, String shown, Stage stage, Duration timeout) {
        Promise<SmtpReply> p = Promise.promise();
        context.runOnContext(v -> {
            if (closed) {
                p.fail(new SmtpFailureException(Kind.CONNECTION_CLOSED, stage, null, "connection already closed"));
                return;
            }
            if (shown.equals(line)) {
                transcript.client(line);
            } else {
                transcript.clientSecret(shown);
            }
            enqueue(new Pending(p, stage, timeout.toMillis()));
            socket.write(line + "\r\n");
        });
        return p.future();
    }

    /** RFC 2920 pipelining: all lines in one write, one reply each, in order. */
    List<Future<SmtpReply>> pipeline(List<String> lines, List<Stage> stages, Duration timeout) {
        List<Promise<SmtpReply>> promises = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            promises.add(Promise.promise());
        }
        context.runOnContext(v -> {
            if (closed) {
                promises.forEach(p -> p.fail(new SmtpFailureException(Kind.CONNECTION_CLOSED, stages.get(0), null, "connection already closed")));
                return;
            }
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < lines.size(); i++) {
                transcript.client(lines.get(i));
                batch.append(lines.get(i)).append("\r\n");
                enqueue(new Pending(promises.get(i), stages.get(i), timeout.toMillis()));
            }
            socket.write(batch.toString());
        });
        return promises.stream().map(Promise::future).toList();
    }

    /** Writes the dot-stuffed message (already ending in CRLF.CRLF) and waits for the final reply. */
    Future<SmtpReply> data(byte[] stuffed, Duration timeout) {
        Promise<SmtpReply> p = Promise.promise();
        context.runOnContext(v -> {
            if (closed) {
                p.fail(new SmtpFailureException(Kind.CONNECTION_CLOSED, Stage.DATA, null, "connection already closed"));
                return;
            }
            transcript.client("<message, " + stuffed.length + " bytes>");
            transcript.client(".");
            enqueue(new Pending(p, Stage.DATA, timeout.toMillis()));
            socket.write(Buffer.buffer(stuffed));
        });
        return p.future();
    }

    Future<Void> upgradeToTls(String serverName, Duration timeout) {
        Promise<Void> p = Promise.promise();
        context.runOnContext(v -> {
            upgrading = true;
            long t = vertx.setTimer(timeout.toMillis(), id -> {
                if (p.tryFail(new SmtpFailureException(Kind.TIMEOUT, Stage.TLS_HANDSHAKE, null, timeout.toSeconds() + " s"))) {
                    close();
                }
            });
            socket.upgradeToSsl(serverName).onComplete(ar -> {
                vertx.cancelTimer(t);
                upgrading = false;
                if (ar.succeeded()) {
                    p.tryComplete();
                } else if (p.tryFail(TlsFailures.classify(ar.cause(), closed))) {
                    close();
                }
            });
            socket.closeHandler(c -> {
                onClosed();
                p.tryFail(new SmtpFailureException(Kind.TLS_PEER_CLOSED, Stage.TLS_HANDSHAKE, null, "connection closed by the server during the handshake"));
            });
        });
        return p.future();
    }

    /** QUIT politely, then close without waiting long for the server. */
    void quit() {
        context.runOnContext(v -> {
            if (closed) {
                return;
            }
            transcript.client("QUIT");
            socket.write("QUIT\r\n");
            vertx.setTimer(1000, id -> close());
            socket.end();
        });
    }

    void close() {
        context.runOnContext(v -> {
            if (!closed) {
                socket.close();
            }
        });
    }

    private void enqueue(Pending p) {
        pending.addLast(p);
        if (pending.size() == 1) {
            armTimer();
        }
    }

    private void armTimer() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        Pending head = pending.peekFirst();
        if (head != null) {
            timer = vertx.setTimer(head.timeoutMs, id -> {
                timer = -1;
                Pending timedOut = pending.pollFirst();
                if (timedOut != null) {
                    timedOut.promise.tryFail(new SmtpFailureException(Kind.TIMEOUT, timedOut.stage, null,
                            formatMillis(timedOut.timeoutMs)));
                }
                failAll(Kind.CONNECTION_CLOSED, "closed after a timeout");
                socket.close();
            });
        }
    }

    private void onLine(Buffer raw) {
        String line = raw.toString(StandardCharsets.ISO_8859_1);
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        transcript.server(line);
        if (!SmtpReply.isReplyLine(line)) {
            Pending head = pending.pollFirst();
            String shown = line.length() > 60 ? line.substring(0, 60) + "..." : line;
            if (head != null) {
                head.promise.tryFail(new SmtpFailureException(Kind.GARBAGE_REPLY, head.stage, null, "\"" + shown + "\""));
            }
            failAll(Kind.GARBAGE_REPLY, "\"" + shown + "\"");
            socket.close();
            return;
        }
        partial.add(line);
        if (!SmtpReply.isLastLine(line)) {
            return;
        }
        SmtpReply reply = SmtpReply.of(List.copyOf(partial));
        partial.clear();
        Pending head = pending.pollFirst();
        if (head == null) {
            // unsolicited, typically "421 idle timeout" before the server hangs up: unusable now
            closed = true;
            socket.close();
            return;
        }
        armTimer();
        head.promise.tryComplete(reply);
    }

    private void onClosed() {
        closed = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        failAll(Kind.CONNECTION_CLOSED, null);
    }

    private void failAll(Kind kind, String detail) {
        closed = true;
        Pending p;
        while ((p = pending.pollFirst()) != null) {
            p.promise.tryFail(new SmtpFailureException(kind, p.stage, null, detail));
        }
    }

    static String formatMillis(long ms) {
        return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
    }
}
