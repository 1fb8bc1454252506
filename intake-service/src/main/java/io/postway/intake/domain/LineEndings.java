package io.postway.intake.domain;

import java.util.Arrays;

/**
 * The CRLF rule that keeps SMTP smuggling out (CVE-2023-51764 and kin): content leaves with CRLF
 * line endings only, so a receiver that accepts bare LF or bare CR as a line end can never see an
 * end-of-data ({@code <LF>.<LF>}, {@code <CR>.<CR>}) that the sending SMTP client did not
 * dot-stuff.
 *
 * <p>Decision: a text whose lines all end in bare LF (a Unix file, a JSON string) is repaired to
 * CRLF, because that reading is unambiguous. A bare CR anywhere, or bare LF mixed with CRLF, is
 * refused: that is the shape of smuggling payloads and no repair is certain to mean what the
 * sender meant.
 */
public final class LineEndings {

    private LineEndings() {
    }

    /**
     * Returns the content with CRLF line endings, or throws naming {@code field}. One pass: the
     * inner loop only looks for a byte below 0x10 (CR and LF are; no byte of a UTF-8 sequence is),
     * and a repaired text is copied a line at a time ({@code System.arraycopy}), because byte loops
     * are what C1, the services' compiler, does slowest (BENCHMARKS.md, session 8).
     */
    public static byte[] toCrlf(byte[] content, String field) {
        int n = content.length;
        boolean sawCrlf = false;
        byte[] out = null; // from the first bare LF on: content[0, copied) is out[0, o)
        int o = 0;
        int copied = 0;
        int i = 0;
        while (true) {
            while (i < n && (content[i] & 0xF0) != 0) {
                i++;
            }
            if (i >= n) {
                break;
            }
            if (content[i] == '\r') {
                if (i + 1 >= n || content[i + 1] != '\n') {
                    throw SubmissionRefused.invalid(field, "contains a bare CR (carriage return not followed by LF) at byte " + i);
                }
                if (out != null) {
                    throw mixed(field, i + 1);
                }
                sawCrlf = true;
                i += 2;
            } else if (content[i] == '\n') {
                if (sawCrlf) {
                    throw mixed(field, i);
                }
                if (out == null) {
                    out = new byte[n + (n >> 5) + 16];
                }
                int line = i - copied;
                if (o + line + 2 > out.length) {
                    out = Arrays.copyOf(out, Math.max(2 * out.length, o + line + 2));
                }
                System.arraycopy(content, copied, out, o, line);
                o += line;
                out[o++] = '\r';
                out[o++] = '\n';
                copied = ++i;
            } else {
                i++; // another control character: not a line end
            }
        }
        if (out == null) {
            return content;
        }
        int rest = n - copied;
        byte[] crlf = Arrays.copyOf(out, o + rest);
        System.arraycopy(content, copied, crlf, o, rest);
        return crlf;
    }

    private static SubmissionRefused mixed(String field, int at) {
        return SubmissionRefused.invalid(field, "mixes CRLF and bare LF line endings (near byte " + at + ")");
    }

    /** True when every line end is CRLF: the invariant of everything the intake publishes. */
    public static boolean isCrlfOnly(byte[] content) {
        for (int i = 0; i < content.length; i++) {
            if (content[i] == '\r' && (i + 1 >= content.length || content[i + 1] != '\n')) {
                return false;
            }
            if (content[i] == '\n' && (i == 0 || content[i - 1] != '\r')) {
                return false;
            }
        }
        return true;
    }
}
