package io.postway.intake.domain;

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

    /** Returns the content with CRLF line endings, or throws naming {@code field}. */
    public static byte[] toCrlf(byte[] content, String field) {
        boolean sawCrlf = false;
        boolean sawBareLf = false;
        int bareLfs = 0;
        for (int i = 0; i < content.length; i++) {
            byte b = content[i];
            if (b == '\r') {
                if (i + 1 < content.length && content[i + 1] == '\n') {
                    sawCrlf = true;
                    i++;
                } else {
                    throw SubmissionRefused.invalid(field, "contains a bare CR (carriage return not followed by LF) at byte " + i);
                }
            } else if (b == '\n') {
                sawBareLf = true;
                bareLfs++;
            }
            if (sawCrlf && sawBareLf) {
                throw SubmissionRefused.invalid(field, "mixes CRLF and bare LF line endings (near byte " + i + ")");
            }
        }
        if (!sawBareLf) {
            return content;
        }
        byte[] out = new byte[content.length + bareLfs];
        int o = 0;
        for (byte b : content) {
            if (b == '\n') {
                out[o++] = '\r';
            }
            out[o++] = b;
        }
        return out;
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
