package io.postway.delivery.domain;

import java.io.ByteArrayOutputStream;

/**
 * The DATA payload for exact message bytes (RFC 5321 4.5.2): a line starting with "." gets one
 * more, the content ends with CRLF, then the terminating ".CRLF". Nothing else is touched, so the
 * receiver stores the bytes the client submitted.
 */
public final class DotStuffing {

    private DotStuffing() {
    }

    public static byte[] stuff(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 64);
        boolean lineStart = true;
        for (byte b : content) {
            if (lineStart && b == '.') {
                out.write('.');
            }
            out.write(b);
            lineStart = b == '\n';
        }
        int n = content.length;
        boolean endsWithCrlf = n >= 2 && content[n - 2] == '\r' && content[n - 1] == '\n';
        if (!endsWithCrlf && n > 0) {
            out.write('\r');
            out.write('\n');
        }
        out.write('.');
        out.write('\r');
        out.write('\n');
        return out.toByteArray();
    }

    /** True when the content has bytes above 127, which asks for BODY=8BITMIME (RFC 6152). */
    public static boolean hasEightBit(byte[] content) {
        for (byte b : content) {
            if (b < 0) {
                return true;
            }
        }
        return false;
    }
}
