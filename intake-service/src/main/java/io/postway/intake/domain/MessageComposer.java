package io.postway.intake.domain;

import org.apache.james.mime4j.codec.EncoderUtil;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.message.BasicBodyFactory;
import org.apache.james.mime4j.message.BodyPartBuilder;
import org.apache.james.mime4j.message.DefaultMessageWriter;
import org.apache.james.mime4j.message.MultipartBuilder;
import org.apache.james.mime4j.stream.NameValuePair;
import org.apache.james.mime4j.stream.RawField;
import org.apache.james.mime4j.util.MimeUtil;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Builds the RFC 5322/MIME message of a JSON submission with mime4j: text and html become a
 * multipart/alternative, attachments a multipart/mixed; text parts are quoted-printable UTF-8,
 * attachments base64, so every line is short and ends in CRLF whatever the client sent.
 */
public final class MessageComposer {

    /** Headers the intake writes itself; a client setting them would contradict the envelope or the MIME structure. */
    private static final Set<String> RESERVED = Set.of("from", "to", "cc", "bcc", "reply-to", "subject", "date",
            "message-id", "mime-version", "sender", "return-path", "received", "resent-from", "resent-to",
            "resent-cc", "resent-bcc", "resent-date", "resent-sender", "resent-message-id",
            "content-type", "content-transfer-encoding", "content-disposition", "content-id");
    private static final Pattern MEDIA_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}");
    static final int MAX_HEADER_VALUE = 900;
    /** mime4j's own Date form ({@code Mon, 1 Dec 2025 17:46:22 +0000}) without its per-message SimpleDateFormat. */
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.US)
            .withZone(ZoneOffset.UTC);

    /** mime4j's writer, its quoted-printable for text bodies made faster; stateless, so shared. */
    private static final DefaultMessageWriter WRITER = new QuotedPrintableFastMessageWriter();

    private final int maxRecipients;
    private final String messageIdDomain;
    private final DefaultMessageWriter writer;

    public MessageComposer(int maxRecipients, String messageIdDomain) {
        this(maxRecipients, messageIdDomain, WRITER);
    }

    /** With another writer: {@code MessageComposerTest} composes with mime4j's own to compare the bytes. */
    MessageComposer(int maxRecipients, String messageIdDomain, DefaultMessageWriter writer) {
        this.maxRecipients = maxRecipients;
        this.messageIdDomain = messageIdDomain;
        this.writer = writer;
    }

    public ComposedMessage compose(MessageDraft d, String messageId, Date now) {
        List<FieldError> errors = new ArrayList<>();
        Mailbox from = collect(errors, () -> Addresses.mailbox(d.from(), "from"));
        List<Mailbox> to = mailboxes(errors, d.to(), "to");
        List<Mailbox> cc = mailboxes(errors, d.cc(), "cc");
        List<Mailbox> bcc = mailboxes(errors, d.bcc(), "bcc");
        List<Mailbox> replyTo = mailboxes(errors, d.replyTo(), "replyTo");
        int count = to.size() + cc.size() + bcc.size();
        if (errors.isEmpty() && count == 0) {
            errors.add(new FieldError("to", "at least one recipient (to, cc or bcc) is required"));
        }
        if (count > maxRecipients) {
            errors.add(new FieldError("to", "at most " + maxRecipients + " recipients (to + cc + bcc) per message, got " + count));
        }
        if (d.subject() != null) {
            collect(errors, () -> { Texts.headerValue(d.subject(), "subject", MAX_HEADER_VALUE); return null; });
        }
        byte[] text = d.text() == null ? null : collect(errors, () -> body(d.text(), "text"));
        byte[] html = d.html() == null ? null : collect(errors, () -> body(d.html(), "html"));
        d.headers().forEach((name, value) -> collect(errors, () -> {
            String field = "headers." + name;
            Texts.headerName(name, field);
            if (RESERVED.contains(name.toLowerCase(Locale.ROOT)) || name.toLowerCase(Locale.ROOT).startsWith("content-")) {
                throw SubmissionRefused.invalid(field, "this header is set by the intake from the message's fields");
            }
            if (value == null) {
                throw SubmissionRefused.invalid(field, "a header value is a string");
            }
            Texts.headerValue(value, field, MAX_HEADER_VALUE);
            return null;
        }));
        List<byte[]> attachmentBytes = new ArrayList<>();
        for (int i = 0; i < d.attachments().size(); i++) {
            MessageDraft.AttachmentDraft a = d.attachments().get(i);
            String field = "attachments[" + i + "]";
            final int idx = i;
            attachmentBytes.add(collect(errors, () -> attachment(a, field)));
        }
        if (!errors.isEmpty()) {
            throw SubmissionRefused.invalid(errors);
        }

        try {
            Message.Builder message = Message.Builder.of();
            message.setFrom(from);
            if (!to.isEmpty()) {
                message.setTo(to);
            }
            if (!cc.isEmpty()) {
                message.setCc(cc);
            }
            if (!replyTo.isEmpty()) {
                message.setReplyTo(replyTo);
            }
            if (d.subject() != null) {
                message.setSubject(d.subject());
            }
            message.setField(new RawField("Date", DATE.format(now.toInstant())));
            message.setMessageId("<" + messageId + "@" + messageIdDomain + ">");
            for (Map.Entry<String, String> h : d.headers().entrySet()) {
                String encoded = EncoderUtil.encodeIfNecessary(h.getValue(), EncoderUtil.Usage.TEXT_TOKEN, h.getKey().length() + 2);
                message.addField(new RawField(h.getKey(), MimeUtil.fold(encoded, h.getKey().length() + 2)));
            }

            BodyPartBuilder main = mainPart(text, html);
            if (attachmentBytes.isEmpty()) {
                applyTo(message, main);
            } else {
                MultipartBuilder mixed = MultipartBuilder.create("mixed");
                mixed.addBodyPart(main);
                for (int i = 0; i < attachmentBytes.size(); i++) {
                    MessageDraft.AttachmentDraft a = d.attachments().get(i);
                    String type = a.contentType() == null ? "application/octet-stream" : a.contentType();
                    mixed.addBodyPart(BodyPartBuilder.create()
                            .setBody(attachmentBytes.get(i), type)
                            .setContentTransferEncoding("base64")
                            .setContentDisposition("attachment", a.filename()));
                }
                message.setBody(mixed.build());
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(estimate(d, attachmentBytes));
            writer.writeMessage(message.build(), out);
            byte[] content = out.toByteArray();
            List<String> recipients = new ArrayList<>(new LinkedHashSet<>(envelope(to, cc, bcc)));
            return new ComposedMessage(Addresses.envelopeAddress(from), recipients, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void applyTo(Message.Builder message, BodyPartBuilder part) {
        var built = part.build();
        message.setBody(built.getBody());
        for (var f : built.getHeader().getFields()) {
            message.setField(f);
        }
    }

    private static BodyPartBuilder mainPart(byte[] text, byte[] html) {
        if (text != null && html != null) {
            MultipartBuilder alt = MultipartBuilder.create("alternative");
            alt.addBodyPart(textPart(text, "plain"));
            alt.addBodyPart(textPart(html, "html"));
            return BodyPartBuilder.create().setBody(alt.build());
        }
        if (html != null) {
            return textPart(html, "html");
        }
        return textPart(text == null ? new byte[0] : text, "plain");
    }

    /**
     * The text's UTF-8 bytes as the body: mime4j's String body would encode the text again, through
     * a small char buffer, each time the message is written.
     */
    private static BodyPartBuilder textPart(byte[] utf8, String subtype) {
        return BodyPartBuilder.create()
                .setBody(BasicBodyFactory.INSTANCE.textBody(utf8, StandardCharsets.UTF_8))
                .setContentType("text/" + subtype, new NameValuePair("charset", StandardCharsets.UTF_8.name()))
                .setContentTransferEncoding("quoted-printable");
    }

    private static byte[] body(String value, String field) {
        Texts.bodyText(value, field);
        return LineEndings.toCrlf(value.getBytes(StandardCharsets.UTF_8), field);
    }

    private static byte[] attachment(MessageDraft.AttachmentDraft a, String field) {
        if (a.filename() == null || a.filename().isBlank()) {
            throw SubmissionRefused.invalid(field + ".filename", "a file name is required");
        }
        Texts.headerValue(a.filename(), field + ".filename", 255);
        if (a.filename().contains("\"") || a.filename().contains("\\") || a.filename().contains("/")) {
            throw SubmissionRefused.invalid(field + ".filename", "a file name contains no quote, backslash or slash");
        }
        if (a.contentType() != null) {
            if (!MEDIA_TYPE.matcher(a.contentType()).matches()) {
                throw SubmissionRefused.invalid(field + ".contentType", "not a media type (type/subtype)");
            }
            String lower = a.contentType().toLowerCase(Locale.ROOT);
            if (lower.startsWith("multipart/") || lower.startsWith("message/")) {
                throw SubmissionRefused.invalid(field + ".contentType", "multipart and message attachments are not accepted; send the file as application/octet-stream");
            }
        }
        if (a.contentBase64() == null) {
            throw SubmissionRefused.invalid(field + ".content", "the base64 content is required");
        }
        try {
            return Base64.getDecoder().decode(a.contentBase64());
        } catch (IllegalArgumentException e) {
            throw SubmissionRefused.invalid(field + ".content", "not valid base64 (RFC 4648, no line breaks)");
        }
    }

    private static List<String> envelope(List<Mailbox> to, List<Mailbox> cc, List<Mailbox> bcc) {
        List<String> all = new ArrayList<>();
        for (List<Mailbox> l : List.of(to, cc, bcc)) {
            for (Mailbox m : l) {
                all.add(Addresses.envelopeAddress(m));
            }
        }
        return all;
    }

    private static List<Mailbox> mailboxes(List<FieldError> errors, List<String> values, String field) {
        List<Mailbox> out = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String f = field + "[" + i + "]";
            String v = values.get(i);
            Mailbox m = collect(errors, () -> Addresses.mailbox(v, f));
            if (m != null) {
                out.add(m);
            }
        }
        return out;
    }

    private static int estimate(MessageDraft d, List<byte[]> attachments) {
        long n = 4096;
        for (byte[] a : attachments) {
            n += a.length * 4L / 3 + a.length / 38 + 256;
        }
        n += (d.text() == null ? 0 : d.text().length() * 3L) + (d.html() == null ? 0 : d.html().length() * 3L);
        return (int) Math.min(n, Integer.MAX_VALUE - 16);
    }

    private interface Check<T> {
        T run();
    }

    private static <T> T collect(List<FieldError> errors, Check<T> check) {
        try {
            return check.run();
        } catch (SubmissionRefused e) {
            errors.addAll(e.errors());
            return null;
        }
    }
}
