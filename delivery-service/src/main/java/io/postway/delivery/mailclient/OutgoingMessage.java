package io.postway.delivery.mailclient;

import io.vertx.core.MultiMap;
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
import java.util.List;
import java.util.Locale;

/**
 * A job's message as the mail client sends it: a complete RFC 5322 message (CRLF line endings)
 * turned into a Vert.x {@link MailMessage} that the Vert.x mail client 4.5.x puts on the wire
 * unchanged (the {@code MailMessage} never leaves this package). The client has no raw-message API, but:
 * <ul>
 *   <li>with {@code setFixedHeaders(true)} the {@code MailEncoder} adds none of its own headers
 *       (no Message-ID, Date, MIME-Version, Content-Type) and {@code SMTPSendMail} writes exactly
 *       the given fields, in MultiMap order, as {@code name + ": " + value + CRLF}, then CRLF;</li>
 *   <li>{@code setText(body)} is written verbatim when {@code Utils.mustEncode(body)} is false
 *       ({@code TextPart} would otherwise quoted-printable it, which under our fixed headers would
 *       corrupt the message): the body is split on LF, every line goes out + CRLF, dot-stuffed.</li>
 * </ul>
 * What the wire therefore differs in, and nothing else:
 * <ul>
 *   <li>a field whose value does not start with a space gets one after the colon
 *       ("Subject:x" goes out as "Subject: x");</li>
 *   <li>the end of the body: {@code String.split("\n")} drops trailing empty lines, so the body
 *       goes out ending with exactly one CRLF (one is added when missing, trailing empty lines are
 *       lost), and an empty body goes out as a single empty line. DKIM body canonicalisation
 *       ("simple" and "relaxed") ignores trailing empty lines, so signatures survive;</li>
 *   <li>a body that would need encoding (8-bit, control characters, lines over 998) is first
 *       downgraded to 7 bit with mime4j, as RFC 6152 requires of a client that does not send
 *       BODY=8BITMIME (the Vert.x client never does).</li>
 * </ul>
 */
public final class OutgoingMessage {

    private static final int MAX_LINE = 998; // RFC 5322 2.1.1: 1000 octets including CRLF

    private final MailMessage mail;

    private OutgoingMessage(MailMessage mail) {
        this.mail = mail;
    }

    /** The client's message type stays in this package: only {@link VertxMailClient} hands it over. */
    MailMessage mail() {
        return mail;
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
     * @throws IllegalArgumentException when the message cannot go out through the client without
     *         being corrupted (8-bit header fields, malformed header section, or 8-bit data mime4j
     *         cannot re-encode, e.g. raw UTF-8 in a body part's header or in a multipart preamble)
     */
    public static OutgoingMessage of(String envelopeFrom, List<String> recipients, byte[] message) {
        Sendable parts = sendable(message);
        if (parts == null) {
            parts = sendable(downgradeTo7Bit(message));
        }
        if (parts == null) {
            throw new IllegalArgumentException("message body still has 8-bit data, control characters or lines over "
                    + MAX_LINE + " octets after the 7-bit downgrade (outside any MIME leaf part, e.g. in a part header,"
                    + " preamble or epilogue): the mail client would quoted-printable the whole body and corrupt it");
        }
        return new OutgoingMessage(new MailMessage()
                .setBounceAddress(reversePath(envelopeFrom))
                .setTo(recipients)
                .setFixedHeaders(true)
                .setHeaders(headers(parts.header))
                .setText(parts.body));
    }

    /**
     * True when the client would send these bytes (a body or a MIME part's content, CRLF line
     * endings) as they are: no byte over 127, no control character but TAB and line breaks, no line
     * over 998 octets. A bare CR is not clean (the client would quoted-printable it).
     */
    public static boolean sevenBitClean(byte[] content) {
        return clientText(content, 0) != null;
    }

    /** The header section (including the CRLF ending its last line) and the body as the client's text. */
    private record Sendable(String header, String body) {
    }

    /** The message split at the first empty line, or null when the client would quoted-printable its body. */
    private static Sendable sendable(byte[] message) {
        if (message.length >= 2 && message[0] == '\r' && message[1] == '\n') {
            return sendable("", message, 2); // no header fields
        }
        for (int i = 0; i + 3 < message.length; i++) {
            if (message[i] == '\r' && message[i + 1] == '\n' && message[i + 2] == '\r' && message[i + 3] == '\n') {
                return sendable(ascii(message, i + 2), message, i + 4);
            }
        }
        return new Sendable(ascii(message, message.length), ""); // header fields only, no body
    }

    private static Sendable sendable(String header, byte[] message, int bodyStart) {
        String body = clientText(message, bodyStart);
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
     * The bytes from {@code from} on as the text the client splits on LF (every CRLF becomes LF), or
     * null when the client's {@code TextPart} would quoted-printable that text, in one pass over the
     * bytes. The predicate is the client's package-private {@code
     * io.vertx.ext.mail.mailencoder.Utils.mustEncode(String)} of vertx-mail-client 4.5.27 applied to
     * that text (OutgoingMessageTest pins the two against each other): a char over 127, a control
     * character other than TAB and LF (so a CR not followed by LF), or a line over 998 chars.
     */
    private static String clientText(byte[] message, int from) {
        byte[] text = new byte[message.length - from];
        int length = 0;
        int lineLength = 0;
        for (int i = from; i < message.length; i++) {
            byte b = message[i];
            if (b == '\r' && i + 1 < message.length && message[i + 1] == '\n') {
                continue; // the LF that follows ends the line
            }
            if (b < 0 || b < 32 && b != '\t' && b != '\n') {
                return null;
            }
            if (b == '\n') {
                lineLength = 0;
            } else if (++lineLength > MAX_LINE) {
                return null;
            }
            text[length++] = b;
        }
        return new String(text, 0, length, StandardCharsets.ISO_8859_1);
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
