package io.postway.intake.domain;

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.parser.AbstractContentHandler;
import org.apache.james.mime4j.parser.MimeStreamParser;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.util.ByteSequence;
import org.apache.james.mime4j.util.MimeUtil;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;

/**
 * Takes a complete RFC 5322 message ({@code message/rfc822}, the Pickup-folder form) and keeps it
 * as sent, apart from three things: line endings are repaired or refused by {@link LineEndings},
 * Bcc/Resent-Bcc are removed, and Message-ID and Date are added when missing. The header is parsed
 * by mime4j in strict mode (flat: the body is carried byte for byte, not re-encoded).
 */
public final class RawMessageReader {

    private static final int MAX_LINE = 998;

    private final int maxRecipients;
    private final String messageIdDomain;

    public RawMessageReader(int maxRecipients, String messageIdDomain) {
        this.maxRecipients = maxRecipients;
        this.messageIdDomain = messageIdDomain;
    }

    /**
     * @param envelopeFrom the {@code from=} parameter or null (then the Sender, else the first From mailbox)
     * @param envelopeTo   the {@code to=} parameters, or empty (then To, Cc and Bcc)
     */
    public ComposedMessage read(byte[] raw, String envelopeFrom, List<String> envelopeTo, String messageId, Date now) {
        if (raw.length == 0) {
            throw SubmissionRefused.invalid("content", "the message is empty");
        }
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == 0) {
                throw SubmissionRefused.invalid("content", "contains NUL at byte " + i);
            }
        }
        byte[] crlf = LineEndings.toCrlf(raw, "content");
        checkLineLengths(crlf);

        Parsed parsed = parse(crlf);
        if (parsed.fields.isEmpty()) {
            throw SubmissionRefused.invalid("content", "the message has no header");
        }
        List<FieldError> errors = new ArrayList<>();
        String from = null;
        List<String> recipients = new ArrayList<>();
        boolean hasFrom = false, hasDate = false, hasMessageId = false;
        List<Mailbox> headerRecipients = new ArrayList<>();
        Mailbox firstFrom = null, sender = null;
        for (Field f : parsed.fields) {
            String name = f.getName();
            String lower = name.toLowerCase(Locale.ROOT);
            String field = "header " + name;
            try {
                Texts.headerName(name, field);
                checkAscii(f.getRaw(), field);
                String body = MimeUtil.unfold(f.getBody() == null ? "" : f.getBody());
                switch (lower) {
                    case "from" -> {
                        if (hasFrom) {
                            throw SubmissionRefused.invalid(field, "more than one From header");
                        }
                        hasFrom = true;
                        List<Mailbox> l = Addresses.mailboxList(body, field);
                        if (l.isEmpty()) {
                            throw SubmissionRefused.invalid(field, "From names no mailbox");
                        }
                        firstFrom = l.get(0);
                    }
                    case "sender" -> sender = Addresses.mailbox(body, field);
                    case "to", "cc", "bcc" -> {
                        if (!body.isBlank()) {
                            headerRecipients.addAll(Addresses.mailboxList(body, field));
                        }
                    }
                    case "reply-to" -> Addresses.mailboxList(body, field);
                    case "date" -> hasDate = true;
                    case "message-id" -> hasMessageId = true;
                    default -> {
                    }
                }
            } catch (SubmissionRefused e) {
                errors.addAll(e.errors());
            }
        }
        if (!hasFrom) {
            errors.add(new FieldError("header From", "a message needs a From header (RFC 5322 3.6)"));
        }
        if (envelopeFrom != null) {
            try {
                from = Addresses.envelopeAddress(Addresses.mailbox(envelopeFrom, "from"));
            } catch (SubmissionRefused e) {
                errors.addAll(e.errors());
            }
        } else if (sender != null) {
            from = Addresses.envelopeAddress(sender);
        } else if (firstFrom != null) {
            from = Addresses.envelopeAddress(firstFrom);
        }
        if (!envelopeTo.isEmpty()) {
            for (int i = 0; i < envelopeTo.size(); i++) {
                try {
                    recipients.add(Addresses.envelopeAddress(Addresses.mailbox(envelopeTo.get(i), "to[" + i + "]")));
                } catch (SubmissionRefused e) {
                    errors.addAll(e.errors());
                }
            }
        } else {
            for (Mailbox m : headerRecipients) {
                recipients.add(Addresses.envelopeAddress(m));
            }
        }
        if (errors.isEmpty() && recipients.isEmpty()) {
            errors.add(new FieldError("to", "no recipients: give to= parameters or To/Cc/Bcc headers"));
        }
        if (recipients.size() > maxRecipients) {
            errors.add(new FieldError("to", "at most " + maxRecipients + " recipients per message, got " + recipients.size()));
        }
        if (!errors.isEmpty()) {
            throw SubmissionRefused.invalid(errors);
        }

        ByteArrayOutputStream out = new ByteArrayOutputStream(crlf.length + 256);
        if (!hasMessageId) {
            write(out, "Message-ID: <" + messageId + "@" + messageIdDomain + ">\r\n");
        }
        if (!hasDate) {
            write(out, "Date: " + MimeUtil.formatDate(now, TimeZone.getTimeZone("UTC")) + "\r\n");
        }
        for (Field f : parsed.fields) {
            String lower = f.getName().toLowerCase(Locale.ROOT);
            if (lower.equals("bcc") || lower.equals("resent-bcc")) {
                continue; // RFC 5322 3.6.3: the blind copies' addresses must not reach the other recipients
            }
            ByteSequence rawField = f.getRaw();
            out.write(rawField.toByteArray(), 0, rawField.length());
            write(out, "\r\n");
        }
        write(out, "\r\n");
        out.write(parsed.body, 0, parsed.body.length);
        int n = parsed.body.length;
        if (n > 0 && !(n >= 2 && parsed.body[n - 2] == '\r' && parsed.body[n - 1] == '\n')) {
            write(out, "\r\n"); // the last line, too, ends in CRLF
        }
        return new ComposedMessage(from, new ArrayList<>(new LinkedHashSet<>(recipients)), out.toByteArray());
    }

    private record Parsed(List<Field> fields, byte[] body) {
    }

    private static Parsed parse(byte[] content) {
        MimeConfig config = new MimeConfig.Builder()
                .setStrictParsing(true)
                .setMaxLineLen(MAX_LINE + 2)
                .setMaxHeaderCount(500)
                .setMaxHeaderLen(64 * 1024)
                .setMalformedHeaderStartsBody(false)
                .build();
        MimeStreamParser parser = new MimeStreamParser(config);
        parser.setFlat();
        parser.setContentDecoding(false);
        List<Field> fields = new ArrayList<>();
        byte[][] body = {new byte[0]};
        parser.setContentHandler(new AbstractContentHandler() {
            @Override
            public void field(Field field) {
                fields.add(field);
            }

            @Override
            public void body(BodyDescriptor bd, InputStream is) throws IOException {
                body[0] = is.readAllBytes();
            }
        });
        try {
            parser.parse(new ByteArrayInputStream(content));
        } catch (MimeException | IOException | RuntimeException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replaceAll("[\\r\\n]+", " ");
            throw SubmissionRefused.invalid("content", "not a valid RFC 5322 message: " + (reason.length() > 160 ? reason.substring(0, 160) : reason));
        }
        return new Parsed(fields, body[0]);
    }

    private static void checkLineLengths(byte[] crlf) {
        int start = 0;
        int line = 1;
        for (int i = 0; i < crlf.length; i++) {
            if (crlf[i] == '\r') {
                if (i - start > MAX_LINE) {
                    throw SubmissionRefused.invalid("content", "line " + line + " is longer than 998 octets (RFC 5322 2.1.1)");
                }
                i++;
                start = i + 1;
                line++;
            }
        }
        if (crlf.length - start > MAX_LINE) {
            throw SubmissionRefused.invalid("content", "line " + line + " is longer than 998 octets (RFC 5322 2.1.1)");
        }
    }

    private static void checkAscii(ByteSequence raw, String field) {
        if (raw == null) {
            return;
        }
        for (int i = 0; i < raw.length(); i++) {
            int b = raw.byteAt(i) & 0xff;
            if (b > 126) {
                throw SubmissionRefused.invalid(field, "contains 8-bit bytes; header fields are US-ASCII (use RFC 2047 encoded-words)");
            }
        }
    }

    private static void write(ByteArrayOutputStream out, String ascii) {
        byte[] b = ascii.getBytes(StandardCharsets.US_ASCII);
        out.write(b, 0, b.length);
    }
}
