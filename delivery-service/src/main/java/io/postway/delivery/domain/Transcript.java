package io.postway.delivery.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * The session's lines for the event ("S: ..." / "C: ..."), bounded, with AUTH secrets replaced:
 * delivery never emits credentials, not even base64-encoded ones.
 */
public final class Transcript {

    public static final int MAX_LINES = 60;
    private static final int MAX_LINE = 300;

    private final List<String> lines = new ArrayList<>();
    private int dropped;

    public synchronized void server(String line) {
        add("S: " + line);
    }

    public synchronized void client(String line) {
        add("C: " + redact(line));
    }

    /** A client line that carries a secret (AUTH PLAIN argument, LOGIN user or password response). */
    public synchronized void clientSecret(String visiblePrefix) {
        add("C: " + visiblePrefix + "****");
    }

    public synchronized void note(String text) {
        add("-- " + text);
    }

    private void add(String line) {
        if (lines.size() >= MAX_LINES) {
            dropped++;
            return;
        }
        lines.add(line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + "..." : line);
    }

    public synchronized List<String> lines() {
        List<String> copy = new ArrayList<>(lines);
        if (dropped > 0) {
            copy.add("-- " + dropped + " more lines not kept");
        }
        return copy;
    }

    public synchronized void appendAll(Transcript other) {
        for (String l : other.lines()) {
            add(l);
        }
    }

    /** Defensive: an AUTH command with an inline initial response never leaves in clear. */
    static String redact(String line) {
        String upper = line.toUpperCase();
        if (upper.startsWith("AUTH ")) {
            String[] parts = line.split(" ", 3);
            return parts.length >= 3 ? parts[0] + " " + parts[1] + " ****" : line;
        }
        return line;
    }
}
