package io.postway.intake.domain;

import java.io.ByteArrayOutputStream;

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
            }
            if (sawCrlf && sawBareLf) {
                throw SubmissionRefused.invalid(field, "mixes CRLF and bare LF line endings (near byte " + i + ")");
            }
        }
        if (!sawBareLf) {
            return content;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + content.length / 32 + 16);
        for (byte b : content) {
            if (b == '\n') {
                out.write('\r');
            }
            out.write(b);
        }
        return out.toByteArray();
    }

    public static String toCrlf(String text, String field) {
        byte[] in = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new String(toCrlf(in, field), java.nio.charset.StandardCharsets.UTF_8);
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
