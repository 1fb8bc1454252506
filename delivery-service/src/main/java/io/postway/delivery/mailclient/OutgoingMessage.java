package io.postway.delivery.mailclient;

import io.netty.buffer.Unpooled;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.mail.MailMessage;
import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.field.Fields;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.message.DefaultMessageWriter;
import org.apache.james.mime4j.stream.MimeConfig;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A job's message as delivery sends it through the Vert.x mail client 4.5.x: a complete RFC 5322
 * message (CRLF line endings), split into the header fields the client writes and the body that
 * {@link TappedVertx} writes as bytes ({@link #data}). The client has no raw-message API, but:
 * <ul>
 *   <li>with {@code setFixedHeaders(true)} the {@code MailEncoder} adds none of its own headers
 *       (no Message-ID, Date, MIME-Version, Content-Type) and {@code SMTPSendMail} writes exactly
 *       the given fields, in MultiMap order, as {@code name + ": " + value + CRLF}, then CRLF, in
 *       one write;</li>
 *   <li>the body it is given ({@link BodySwap}'s one-line stand-in) it would split on LF and write
 *       line by line, dot-stuffed, waiting for each line's write: 1,350 writes and as many Strings
 *       for 100 KB, and a scan of the whole text under the client's {@code Utils.mustEncode}. The
 *       stand-in's one line is swapped on the socket for {@link #data}: the body, dot-stuffed,
 *       made in one pass over the job's bytes here.</li>
 * </ul>
 * What the wire therefore differs in, and nothing else:
 * <ul>
 *   <li>a field whose value does not start with a space gets one after the colon
 *       ("Subject:x" goes out as "Subject: x");</li>
 *   <li>a lone LF in the body goes out as CRLF, and a body not ending in CRLF gets one (SMTP
 *       ends the data with CRLF "." CRLF);</li>
 *   <li>a body that is not 7-bit clean (8-bit, control characters, lines over 998) is first
 *       downgraded to 7 bit with mime4j, as RFC 6152 requires of a client that does not send
 *       BODY=8BITMIME (the Vert.x client never does).</li>
 * </ul>
 */
public final class OutgoingMessage {

    private static final int MAX_LINE = 998; // RFC 5322 2.1.1: 1000 octets including CRLF

    private final String reversePath;
    private final List<String> recipients;
    private final MultiMap headers;
    private final WireBody body;
    private final long size;

    private OutgoingMessage(String reversePath, List<String> recipients, MultiMap headers, WireBody body) {
        this.reversePath = reversePath;
        this.recipients = recipients;
        this.headers = headers;
        this.body = body;
        this.size = headerBlockLength(headers) + body.octets;
    }

    /**
     * The client's message for one send: envelope, fixed header fields and {@code standIn} as its
     * text (the MailMessage never leaves this package: only {@link VertxMailClient} hands it over).
     */
    MailMessage mail(String standIn) {
        return new MailMessage()
                .setBounceAddress(reversePath)
                .setTo(recipients)
                .setFixedHeaders(true)
                .setHeaders(headers)
                .setText(standIn);
    }

    /**
     * The body as it goes on the wire after the header block: dot-stuffed, CRLF line endings, ending
     * with CRLF (or empty). A new view of the same bytes for each send, never a copy.
     */
    Buffer data() {
        return Buffer.buffer(Unpooled.wrappedBuffer(body.data, 0, body.length));
    }

    /**
     * The message size RFC 1870 asks for in {@code MAIL FROM ... SIZE=}: every octet of the header
     * block as the client writes it and of the body, with CRLF line endings, without the dots added
     * by dot-stuffing.
     */
    long size() {
        return size;
    }

    /**
     * The bounce address the client writes into {@code MAIL FROM}. An empty one would make 4.5.27 fall
     * back to the From header (which fixed headers leave unset, so the send fails); the literal
     * {@code "<>"} is parsed to an empty address and goes out as {@code MAIL FROM:<>} (RFC 5321 4.5.5).
     */
    static String reversePath(String envelopeFrom) {
        return envelopeFrom == null || envelopeFrom.isBlank() || envelopeFrom.strip().equals("<>") ? "<>" : envelopeFrom;
    }

    /**
     * @throws IllegalArgumentException when the message cannot go out without being corrupted (8-bit
     *         header fields, malformed header section, or 8-bit data mime4j cannot re-encode, e.g. raw
     *         UTF-8 in a body part's header or in a multipart preamble)
     */
    public static OutgoingMessage of(String envelopeFrom, List<String> recipients, byte[] message) {
        Sendable parts = sendable(message);
        if (parts == null) {
            parts = sendable(downgradeTo7Bit(message));
        }
        if (parts == null) {
            throw new IllegalArgumentException("message body still has 8-bit data, control characters or lines over "
                    + MAX_LINE + " octets after the 7-bit downgrade (outside any MIME leaf part, e.g. in a part header,"
                    + " preamble or epilogue): it cannot go out without BODY=8BITMIME");
        }
        return new OutgoingMessage(reversePath(envelopeFrom), recipients, headers(parts.header), parts.body);
    }

    /**
     * True when these bytes (a body or a MIME part's content, CRLF line endings) can go out as they
     * are without BODY=8BITMIME: no byte over 127, no control character but TAB and line breaks, no
     * line over 998 octets. A bare CR is not clean (RFC 5321 2.3.8).
     */
    public static boolean sevenBitClean(byte[] content) {
        return body(content, 0) != null;
    }

    /** The header section (including the CRLF ending its last line) and the body's wire form. */
    private record Sendable(String header, WireBody body) {
    }

    /** The body on the wire ({@link #data}: the first {@code length} bytes of {@code data}) and its size without dot-stuffing (RFC 1870). */
    private record WireBody(byte[] data, int length, long octets) {
    }

    /** The message split at the first empty line, or null when its body is not 7-bit clean. */
    private static Sendable sendable(byte[] message) {
        if (message.length >= 2 && message[0] == '\r' && message[1] == '\n') {
            return sendable("", message, 2); // no header fields
        }
        for (int i = 0; i + 3 < message.length; i++) {
            if (message[i] == '\r' && message[i + 1] == '\n' && message[i + 2] == '\r' && message[i + 3] == '\n') {
                return sendable(ascii(message, i + 2), message, i + 4);
            }
        }
        return new Sendable(ascii(message, message.length), new WireBody(new byte[0], 0, 0)); // header fields only, no body
    }

    private static Sendable sendable(String header, byte[] message, int bodyStart) {
        WireBody body = body(message, bodyStart);
        return body == null ? null : new Sendable(header, body);
    }

    private static String ascii(byte[] message, int end) {
        for (int i = 0; i < end; i++) {
            if (message[i] < 0) {
                // the client writes header strings as UTF-8 and cannot send SMTPUTF8: never let it re-encode them
                throw new IllegalArgumentException("header section has an 8-bit byte at offset " + i);
            }
        }
        return new String(message, 0, end, StandardCharsets.US_ASCII);
    }

    /**
     * The bytes from {@code from} on as they go on the wire, in one pass: each line (ended by CRLF or
     * a lone LF) is copied whole with its CRLF, with a dot in front when it starts with one (RFC 5321
     * 4.5.2), and a last line without a line break gets one. Null when the bytes are not 7-bit clean:
     * a byte over 127, a control character other than TAB (a CR only as part of CRLF), or a line
     * over 998 octets.
     */
    private static WireBody body(byte[] message, int from) {
        int length = message.length - from;
        // room for every line's CRLF and stuffing dot when lines are short; grown in the rare other case
        byte[] out = new byte[length + (length >> 5) + 8];
        int o = 0;
        long octets = 0;
        int lineStart = from;
        while (lineStart < message.length) {
            int end = lineStart;
            while (end < message.length && (message[end] >= 32 || message[end] == '\t')) {
                end++; // a signed byte: over 127 is below 32 too
            }
            int next = end;
            if (end < message.length) {
                if (message[end] == '\r' && end + 1 < message.length && message[end + 1] == '\n') {
                    next = end + 2;
                } else if (message[end] == '\n') {
                    next = end + 1;
                } else {
                    return null; // 8-bit or a control character (a CR alone among them)
                }
            }
            int lineLength = end - lineStart;
            if (lineLength > MAX_LINE) {
                return null;
            }
            if (o + lineLength + 3 > out.length) {
                out = Arrays.copyOf(out, Math.max(out.length * 2, o + lineLength + 3));
            }
            if (lineLength > 0 && message[lineStart] == '.') {
                out[o++] = '.';
            }
            System.arraycopy(message, lineStart, out, o, lineLength);
            o += lineLength;
            out[o++] = '\r';
            out[o++] = '\n';
            octets += lineLength + 2;
            lineStart = next;
        }
        return new WireBody(out, o, octets);
    }

    /** The octets the client writes for these fields: {@code name + ": " + value + CRLF} each, then CRLF. */
    private static long headerBlockLength(MultiMap headers) {
        long length = 2;
        for (Map.Entry<String, String> field : headers) {
            length += field.getKey().length() + 2 + field.getValue().length() + 2;
        }
        return length;
    }

    /**
     * One MultiMap entry per header field, in order (Vert.x' case-insensitive MultiMap iterates in
     * insertion order across names and keeps each entry's spelling). A folded field keeps its inner
     * CRLFs, so it goes out folded as received.
     */
    private static MultiMap headers(String section) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        String[] lines = section.split("\r\n");
        int i = 0;
        while (i < lines.length && !lines[i].isEmpty()) {
            StringBuilder field = new StringBuilder(lines[i]);
            for (i++; i < lines.length && startsWithWhitespace(lines[i]); i++) {
                field.append("\r\n").append(lines[i]);
            }
            int colon = field.indexOf(":");
            if (colon <= 0 || startsWithWhitespace(field.toString())) {
                throw new IllegalArgumentException("malformed header field: " + firstLine(field));
            }
            if (field.charAt(0) == '.') {
                // header lines are written without dot-stuffing: the receiver would strip this dot
                throw new IllegalArgumentException("header field name starts with '.': " + firstLine(field));
            }
            String value = field.substring(colon + 1);
            // the client writes ": " itself; one leading space of the value is that space
            headers.add(field.substring(0, colon), value.startsWith(" ") ? value.substring(1) : value);
        }
        return headers;
    }

    private static boolean startsWithWhitespace(String line) {
        return line.startsWith(" ") || line.startsWith("\t");
    }

    private static String firstLine(CharSequence field) {
        String s = field.toString();
        int end = s.indexOf('\r');
        return end < 0 ? s : s.substring(0, end);
    }

    /**
     * RFC 6152 downgrade: every leaf part that is neither quoted-printable nor base64 and whose
     * content is not 7-bit clean gets quoted-printable (text/*) or base64 (anything else). Content
     * decoding is on, so parts that already are quoted-printable/base64 are decoded and re-encoded
     * by the writer (their content stays the same, their lines may not), which also repairs 8-bit
     * bytes sitting in a quoted-printable part. Header fields mime4j does not touch are written back
     * from their raw bytes.
     */
    static byte[] downgradeTo7Bit(byte[] message) {
        try {
            DefaultMessageBuilder builder = new DefaultMessageBuilder();
            builder.setContentDecoding(true);
            builder.setMimeEntityConfig(MimeConfig.PERMISSIVE); // a relay does not enforce line or header limits here
            Message parsed = builder.parseMessage(new ByteArrayInputStream(message));
            downgrade(parsed);
            if (parsed.getHeader().getField("MIME-Version") == null) {
                // a non-MIME message now carries Content-Transfer-Encoding, which only counts with MIME-Version
                parsed.getHeader().addField(Fields.version("1.0"));
            }
            return DefaultMessageWriter.asBytes(parsed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void downgrade(Entity entity) throws IOException {
        Body body = entity.getBody();
        if (body instanceof Multipart multipart) {
            for (Entity part : multipart.getBodyParts()) {
                downgrade(part);
            }
            sevenBitContainer(entity);
        } else if (body instanceof Message nested) { // message/rfc822: its parts are downgraded, never the whole
            downgrade(nested);
            sevenBitContainer(entity);
        } else if (body instanceof SingleBody single && !alreadyEncoded(entity) && !sevenBitClean(content(single))) {
            String encoding = entity.getMimeType().toLowerCase(Locale.ROOT).startsWith("text/") ? "quoted-printable" : "base64";
            entity.getHeader().setField(Fields.contentTransferEncoding(encoding)); // replaces in place or appends
        }
    }

    private static boolean alreadyEncoded(Entity entity) {
        String encoding = entity.getContentTransferEncoding().toLowerCase(Locale.ROOT);
        return encoding.equals("quoted-printable") || encoding.equals("base64");
    }

    /** A multipart or message/rfc822 may only be 7bit/8bit/binary (RFC 2045 6.4): after the downgrade it is 7bit. */
    private static void sevenBitContainer(Entity entity) {
        if (entity.getHeader().getField("Content-Transfer-Encoding") != null
                && !entity.getContentTransferEncoding().equalsIgnoreCase("7bit")) {
            entity.getHeader().setField(Fields.contentTransferEncoding("7bit"));
        }
    }

    private static byte[] content(SingleBody body) throws IOException {
        try (InputStream in = body.getInputStream()) {
            return in.readAllBytes();
        }
    }
}
