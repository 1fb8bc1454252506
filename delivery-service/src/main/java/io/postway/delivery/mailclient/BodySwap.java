package io.postway.delivery.mailclient;

import io.vertx.core.buffer.Buffer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts each message's body on the wire as bytes ({@link OutgoingMessage#data}) in place of the
 * one-line stand-in the mail client is given as its text, and declares the message's real size.
 * The client 4.5.x would otherwise split the body on LF, write it line by line and wait for each
 * line's write (at 100 KB most of delivery's CPU: the client's String work, scans and futures per
 * line); it writes the stand-in as one line, {@code standIn + CRLF} through
 * {@code NetSocket.write(String)}, right after the header block, dot-stuffed only if it started
 * with a dot (it never does).
 * <p>
 * Each send gets a stand-in of its own ({@link #register}), so a line names the message it stands
 * for: a send that failed before its data can never lend its body to the next one. What the client
 * computes from the stand-in, the {@code SIZE=} of {@code MAIL FROM} (RFC 1870), is rewritten to
 * the real size ({@link #declaringRealSize}); a server that announced a smaller SIZE refuses the
 * transaction at MAIL (RFC 1870 6.1), before any data is sent. Used by one client, whose sends
 * follow each other, from the sending thread and the connection's event loop.
 */
final class BodySwap {

    /** What every stand-in starts with; never dot-stuffed, 7-bit, far below 998 octets. */
    static final String STAND_IN = "postway-body-stand-in-";
    private static final Pattern SIZE = Pattern.compile(" SIZE=\\d+", Pattern.CASE_INSENSITIVE);
    private static final AtomicLong SENDS = new AtomicLong();

    private final Map<String, OutgoingMessage> waiting = new ConcurrentHashMap<>();
    private volatile OutgoingMessage current;

    /** A send begins: the stand-in to give the client as its text. */
    String register(OutgoingMessage message) {
        String standIn = STAND_IN + SENDS.incrementAndGet();
        waiting.put(standIn + "\r\n", message);
        current = message;
        return standIn;
    }

    /** The send of {@code standIn} is over (sent or not): its body is no longer wanted. */
    void done(String standIn) {
        OutgoingMessage message = waiting.remove(standIn + "\r\n");
        if (current == message) {
            current = null;
        }
    }

    /**
     * The body for a line the client writes, when the line is a stand-in, else null; the same body
     * each time until the send is over. A stand-in no send waits for (its send already ended) is an
     * error, never data for the server.
     */
    Buffer bodyFor(String line) {
        if (!line.startsWith(STAND_IN)) {
            return null;
        }
        OutgoingMessage message = waiting.get(line);
        if (message == null) {
            throw new IllegalStateException("message data for a send that is over: " + line.strip());
        }
        return message.data();
    }

    /**
     * The commands with the {@code SIZE=} of their MAIL FROM (the client writes it first, alone or
     * with the pipelined RCPTs and DATA) set to the current message's real size.
     */
    String declaringRealSize(String commands) {
        OutgoingMessage message = current;
        if (message == null || !commands.regionMatches(true, 0, "MAIL FROM:", 0, 10)) {
            return commands;
        }
        int end = commands.indexOf("\r\n");
        Matcher size = SIZE.matcher(end < 0 ? commands : commands.substring(0, end));
        return size.find() ? commands.substring(0, size.start()) + " SIZE=" + message.size() + commands.substring(size.end()) : commands;
    }
}
