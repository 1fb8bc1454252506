package io.postway.intake.domain;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * mime4j's {@code QuotedPrintableOutputStream} for text bodies ({@code binary = false}), byte for
 * byte, but faster: a run of text (plain bytes and the single spaces between them) up to the next
 * soft break is copied in one tight loop instead of going through mime4j's per-byte state machine,
 * whose state lives in fields (1.6x faster on a 100 KB text, 2.5x on 5 KB, measured 2026-12-01).
 * The rules are mime4j 0.8.14's, quirks included (they are what receivers have seen from Postway so
 * far), and {@code TextQuotedPrintableOutputStreamTest} compares the two on random bodies:
 * <ul>
 * <li>{@code =}, {@code .} (mime4j's work-around for dot-destuffing filters), controls other than
 * TAB/CR/LF, DEL and 8-bit bytes are escaped as {@code =XX};</li>
 * <li>a space or TAB is held back: before CRLF it is escaped, before anything else written as is;
 * a CR is held back until the next byte, CRLF becomes a hard line break, and a held-back space or
 * TAB wins over a held-back CR (mime4j then drops the CR; the intake refuses bare CRs anyway);</li>
 * <li>a bare LF is written as a plain character;</li>
 * <li>soft breaks ({@code =CRLF}) use mime4j's column count, which starts one column further on
 * the first line than after a line break.</li>
 * </ul>
 * Like mime4j's, closing writes what is held back and does not close the wrapped stream.
 */
public final class TextQuotedPrintableOutputStream extends FilterOutputStream {

    private static final int MAX_LINE_LENGTH = 76;
    private static final int BUFFER_SIZE = 8 * 1024;
    /**
     * Room kept free for one step of the loop: a run of plain bytes up to the soft break (75), or one
     * input byte's worst case, a held-back byte after a soft break (4) and an escape after one (6).
     */
    private static final int MAX_PER_STEP = 128;

    private static final byte PLAIN = 0;
    private static final byte ESCAPE = 1;
    private static final byte SPACE = 2;
    private static final byte TAB = 3;
    private static final byte CARRIAGE_RETURN = 4;
    private static final byte LINE_FEED = 5;
    /** What each byte is to the encoder, by its unsigned value. */
    private static final byte[] CLASS = new byte[256];

    /** Held-back bytes: a space or a TAB (never both), and a CR on top of either or alone. */
    private static final int HELD_SPACE = 1;
    private static final int HELD_TAB = 2;
    private static final int HELD_CR = 4;

    private static final byte[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};

    static {
        for (int b = 0; b < 256; b++) {
            CLASS[b] = b < ' ' || b > '~' || b == '=' || b == '.' ? ESCAPE : PLAIN;
        }
        CLASS[' '] = SPACE;
        CLASS['\t'] = TAB;
        CLASS['\r'] = CARRIAGE_RETURN;
        CLASS['\n'] = LINE_FEED;
    }

    private final byte[] buffer = new byte[BUFFER_SIZE];
    private int length;
    private int held;
    /** mime4j's {@code nextSoftBreak}: decremented per output character, a soft break when it runs low. */
    private int nextSoftBreak = MAX_LINE_LENGTH + 1;
    private boolean closed;

    public TextQuotedPrintableOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] in, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("Stream has been closed");
        }
        byte[] buf = buffer;
        int o = length;
        int h = held;
        int next = nextSoftBreak;
        int end = off + len;
        for (int i = off; i < end; i++) {
            if (o > BUFFER_SIZE - MAX_PER_STEP) {
                out.write(buf, 0, o);
                o = 0;
            }
            byte b = in[i];
            byte kind = CLASS[b & 0xff];
            if (kind == PLAIN && h == 0 && next > 2) {
                // the common case, a run of text: plain bytes, and spaces or TABs between them (written
                // as is, like mime4j's held-back whitespace followed by a plain byte), up to the soft break
                int runEnd = Math.min(end, i + next - 2);
                int j = i;
                while (j < runEnd) {
                    byte c = in[j];
                    byte k = CLASS[c & 0xff];
                    if (k != PLAIN && !((k == SPACE || k == TAB) && j + 1 < runEnd && CLASS[in[j + 1] & 0xff] == PLAIN)) {
                        break;
                    }
                    buf[o++] = c;
                    j++;
                }
                next -= j - i;
                i = j - 1;
                continue;
            }
            if (kind == LINE_FEED) {
                if ((h & HELD_CR) != 0) {
                    if (h != HELD_CR) { // whitespace before CRLF is escaped, or a receiver may strip it
                        if (--next <= 3) {
                            o = softBreak(buf, o);
                            next = MAX_LINE_LENGTH;
                        }
                        o = escape(buf, o, (h & HELD_SPACE) != 0 ? (byte) ' ' : (byte) '\t');
                    }
                    buf[o++] = '\r';
                    buf[o++] = '\n';
                    next = MAX_LINE_LENGTH;
                    h = 0;
                    continue;
                }
            } else if (kind == CARRIAGE_RETURN) {
                h |= HELD_CR;
                continue;
            }
            if (h != 0) {
                if (--next <= 1) {
                    o = softBreak(buf, o);
                    next = MAX_LINE_LENGTH;
                }
                buf[o++] = held(h);
                h = 0;
            }
            if (kind == PLAIN || kind == LINE_FEED) {
                if (--next <= 1) {
                    o = softBreak(buf, o);
                    next = MAX_LINE_LENGTH;
                }
                buf[o++] = b;
            } else if (kind == ESCAPE) {
                if (--next <= 3) {
                    o = softBreak(buf, o);
                    next = MAX_LINE_LENGTH;
                }
                o = escape(buf, o, b);
                next -= 2;
            } else {
                h = kind == SPACE ? HELD_SPACE : HELD_TAB;
            }
        }
        length = o;
        held = h;
        nextSoftBreak = next;
    }

    @Override
    public void flush() throws IOException {
        out.write(buffer, 0, length);
        length = 0;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (held != 0) {
            if (length > BUFFER_SIZE - MAX_PER_STEP) {
                flush();
            }
            if (--nextSoftBreak <= 1) {
                length = softBreak(buffer, length);
                nextSoftBreak = MAX_LINE_LENGTH;
            }
            buffer[length++] = held(held);
            held = 0;
        }
        flush();
    }

    /** The held-back byte that goes out as is: the space or TAB if any, else the CR. */
    private static byte held(int h) {
        return (h & HELD_SPACE) != 0 ? (byte) ' ' : (h & HELD_TAB) != 0 ? (byte) '\t' : (byte) '\r';
    }

    private static int softBreak(byte[] buf, int o) {
        buf[o] = '=';
        buf[o + 1] = '\r';
        buf[o + 2] = '\n';
        return o + 3;
    }

    private static int escape(byte[] buf, int o, byte b) {
        buf[o] = '=';
        buf[o + 1] = HEX[(b >> 4) & 0xf];
        buf[o + 2] = HEX[b & 0xf];
        return o + 3;
    }
}
