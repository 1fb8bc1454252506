package io.postway.delivery.mailclient;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Decides when the RSET that vertx-mail-client 4.5.x sends before every transaction on a reused
 * connection ({@code SMTPConnectionPool} → {@code SMTPReset}) can stay unsent, and answers it in the
 * server's place. The RSET costs a round trip per message (a third of a 5 KB message's round trips
 * with pipelining) and resets nothing after a transaction that ended with a positive reply to its
 * final dot: the server has then already cleared its transaction state (RFC 5321 4.1.1.4).
 * <p>
 * An RSET is skipped only when the last transaction on this connection was clean: every reply from
 * its MAIL on was positive (MAIL, each RCPT, DATA's 354, the final dot's 2xx), the last command
 * written was its final dot, and the dot's reply arrived less than {@link #MAX_IDLE} ago. Anything
 * else (a refused recipient, a refused or deferred message, a reply still missing, a connection
 * idle for longer, a close) sends the real RSET, which then also serves the client as its liveness
 * check of an older connection. A server that dropped a just-used connection without its close
 * reaching us yet is found at MAIL instead, which delivery already handles as a connection lost
 * before the transaction (like a server whose idle timeout fired between RSET and MAIL).
 * <p>
 * Used on the connection's event loop only, like the socket.
 */
final class SkippedResets {

    /** What the client writes (through {@code write(String, Handler)}) to reset a reused connection. */
    static final String RSET = "RSET\r\n";
    /** The reply the client gets in place of the server's. */
    static final String REPLY = "250 2.0.0 Ok\r\n";
    /** Far below any server's idle timeout (RFC 5321 4.5.3.2.7: at least 5 minutes). */
    static final Duration MAX_IDLE = Duration.ofSeconds(5);

    private final StringBuilder replies = new StringBuilder();
    private boolean positiveSinceMail;
    private boolean awaitingDotReply;
    private boolean clean;
    private long cleanAtNanos;

    /** A command (or the final dot) the client writes to the server. */
    void wrote(String command) {
        clean = false;
        if (command.regionMatches(true, 0, "MAIL FROM", 0, 9)) {
            positiveSinceMail = true;
        }
        awaitingDotReply = command.equals(".\r\n");
    }

    /** Bytes from the server. */
    void read(Buffer data) {
        replies.append(data.toString(StandardCharsets.ISO_8859_1));
        int end;
        while ((end = replies.indexOf("\n")) >= 0) {
            int length = end > 0 && replies.charAt(end - 1) == '\r' ? end - 1 : end;
            boolean last = length == 3 || length >= 4 && replies.charAt(3) == ' ';
            char kind = replies.charAt(0);
            replies.delete(0, end + 1);
            if (!last) {
                continue; // a reply's last line carries its verdict
            }
            if (kind != '2' && kind != '3') {
                positiveSinceMail = false;
            }
            if (awaitingDotReply) {
                awaitingDotReply = false;
                clean = positiveSinceMail && kind == '2';
                cleanAtNanos = System.nanoTime();
            }
        }
    }

    /** The connection closed: nothing on it is clean any more. */
    void closed() {
        clean = false;
        awaitingDotReply = false;
    }

    /** Whether {@code command} is an RSET that need not go out; true also uses up the clean state. */
    boolean skips(String command) {
        if (!command.equals(RSET) || !clean || System.nanoTime() - cleanAtNanos >= MAX_IDLE.toNanos()) {
            return false;
        }
        clean = false;
        return true;
    }
}
