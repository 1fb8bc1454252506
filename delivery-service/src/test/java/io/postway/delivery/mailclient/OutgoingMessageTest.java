package io.postway.delivery.mailclient;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.mail.MailMessage;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.dom.field.ContentTypeField;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What delivery really puts on the wire for an {@link OutgoingMessage}: a {@link VertxMailClient}
 * (the real Vert.x mail client, its body swapped on the socket by {@link BodySwap}) sends into a
 * minimal recording SMTP server on loopback. Plain JUnit, no Quarkus.
 */
class OutgoingMessageTest {

    private static final String FROM = "bounce@example.org";
    private static final List<String> TO = List.of("rcpt@example.net", "other@example.net");

    private static final BlockingQueue<Transaction> RECEIVED = new LinkedBlockingQueue<>();

    private static Vertx vertx;
    private static NetServer server;
    private static VertxMailClient client;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createNetServer().connectHandler(socket -> new SmtpSession(socket).start());
        await(server.listen(0, "127.0.0.1"));
        client = new VertxMailClient(vertx, new VertxMailClient.Settings("127.0.0.1", "127.0.0.1", server.actualPort(), "test",
                VertxMailClient.Transport.PLAINTEXT, List.of("TLSv1.2", "TLSv1.3"), VertxMailClientPinTest.TRUST_ANY, null,
                Duration.ofSeconds(10), Duration.ofSeconds(10), 100), new VertxMailClientPinTest.Recorder());
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (vertx != null) {
            await(vertx.close());
        }
    }

    @BeforeEach
    void clear() {
        RECEIVED.clear();
    }

    // ---------------------------------------------------------------- on the wire

    @Test
    void cleanMessageGoesOutByteIdentical() throws Exception {
        String longLine = "x".repeat(997) + "y"; // 998 octets, the RFC 5322 maximum
        byte[] original = crlf(
                "Received: from mx1.example.org (mx1.example.org [192.0.2.1])",
                "\tby relay.example.net with ESMTP id 111",
                "\tfor <rcpt@example.net>; Mon, 1 Jan 2024 10:00:00 +0000",
                "Received: from client (unknown [198.51.100.7])",
                "\tby mx1.example.org with ESMTPSA id 222; Mon, 1 Jan 2024 09:59:59 +0000",
                "DKIM-Signature: v=1; a=rsa-sha256; d=example.org; s=sel;",
                "\th=from:to:subject; bh=abc=; b=def==",
                "From: Alice <alice@example.org>",
                "To: rcpt@example.net",
                "Subject: a folded",
                "  subject line",
                "X-Trace: 1",
                "Message-ID: <1@example.org>",
                "x-trace: 2",
                "X-Empty: ",
                "X-Two:  two spaces",
                "X-Tab: \tafter a tab",
                "",
                "Hello,",
                ".leading dot",
                ".",
                "..two dots",
                "\tindented with a tab",
                "a=b, =3D stays, soft break at end=",
                "",
                longLine,
                "last line");

        Transaction t = send(original);

        assertEquals(FROM, t.from);
        assertEquals(TO, t.recipients);
        assertEquals(text(original), text(t.content()));
        assertArrayEquals(original, t.content());
        // and the client did dot-stuff on the wire
        String wire = text(t.data);
        assertTrue(wire.contains("\r\n..leading dot\r\n"), wire);
        assertTrue(wire.contains("\r\n..\r\n"), wire);
        assertTrue(wire.contains("\r\n...two dots\r\n"), wire);
    }

    @Test
    void onlyHeaderChangeIsTheSpaceAfterTheColon() throws Exception {
        byte[] original = crlf("Subject:x", "X-Tab:\ty", "X-Empty:", "From: a@example.org", "", "body");
        Transaction t = send(original);
        assertEquals(text(crlf("Subject: x", "X-Tab: \ty", "X-Empty: ", "From: a@example.org", "", "body")),
                text(t.content()));
    }

    @Test
    void theBodyGoesOutAsItIsEndingWithOneCrlf() throws Exception {
        // trailing empty lines are kept
        assertEquals("From: a\r\n\r\nline\r\n\r\n\r\n", text(send(ascii("From: a\r\n\r\nline\r\n\r\n\r\n")).content()));
        // the CRLF SMTP requires before the final dot is added
        assertEquals("From: a\r\n\r\nno final crlf\r\n", text(send(ascii("From: a\r\n\r\nno final crlf")).content()));
        // a lone LF ends a line as CRLF does
        assertEquals("From: a\r\n\r\none\r\n.two\r\n", text(send(ascii("From: a\r\n\r\none\n.two\n")).content()));
        // an empty body stays empty, and a missing one gets the empty line that ends the header section
        assertEquals("From: a\r\n\r\n", text(send(ascii("From: a\r\n\r\n")).content()));
        assertEquals("From: a\r\n\r\n", text(send(ascii("From: a\r\n")).content()));
    }

    @Test
    void aLargeBodyGoesOutByteIdenticalAndDotStuffed() throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; body.length() < 100 * 1024; i++) {
            body.append(i % 7 == 0 ? "." : "").append("line ").append(i).append(" of a large body, =3D and a tab\t.\r\n");
        }
        byte[] original = ascii("From: a@example.org\r\nSubject: large\r\n\r\n" + body);

        Transaction t = send(original);

        assertArrayEquals(original, t.content());
        long dotted = body.toString().lines().filter(line -> line.startsWith(".")).count();
        assertTrue(dotted > 100);
        assertEquals(original.length + dotted, t.data.length, "one dot added per line that starts with one");
    }

    @Test
    void eightBitTextIsDowngradedToQuotedPrintable() throws Exception {
        String body = "Grüße aus Köln\r\n.dot line\r\n=sign and a tab\t\r\n";
        String header = "From: a@example.org\r\nTo: b@example.net\r\nSubject: 8bit\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n";
        byte[] original = utf8(header + "Content-Transfer-Encoding: 8bit\r\n\r\n" + body);

        byte[] recorded = send(original).content();

        assertSevenBit(recorded);
        String wire = text(recorded);
        assertTrue(wire.startsWith(header + "Content-Transfer-Encoding: quoted-printable\r\n\r\n"), wire);
        Message parsed = parse(recorded);
        assertEquals("quoted-printable", parsed.getContentTransferEncoding());
        assertEquals(body, new String(content(parsed), StandardCharsets.UTF_8));
    }

    @Test
    void eightBitNonMimeMessageGetsMimeVersionToo() throws Exception {
        String header = "From: a@example.org\r\nSubject: old style\r\n";
        byte[] original = utf8(header + "\r\nGrüße\r\n");

        byte[] recorded = send(original).content();

        assertSevenBit(recorded);
        assertTrue(text(recorded).startsWith(header
                + "Content-Transfer-Encoding: quoted-printable\r\nMIME-Version: 1.0\r\n\r\n"), text(recorded));
        assertArrayEquals(utf8("Grüße\r\n"), content(parse(recorded)));
    }

    @Test
    void multipartKeepsBoundaryAndBase64PartAndDowngradesTheEightBitPart() throws Exception {
        byte[] binary = new byte[300];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i * 7);
        }
        String base64 = Base64.getMimeEncoder().encodeToString(binary); // 76-octet lines, CRLF
        String header = "From: a@example.org\r\nTo: b@example.net\r\nSubject: parts\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed;\r\n boundary=\"b1=_xyz\"\r\n\r\n";
        byte[] original = utf8(header
                + "This is a multi-part message in MIME format.\r\n"
                + "--b1=_xyz\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n"
                + "\r\n"
                + "Grüße\r\n"
                + "--b1=_xyz\r\n"
                + "Content-Type: application/octet-stream; name=\"data.bin\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=\"data.bin\"\r\n"
                + "\r\n"
                + base64 + "\r\n"
                + "--b1=_xyz--\r\n");

        byte[] recorded = send(original).content();

        assertSevenBit(recorded);
        String wire = text(recorded);
        assertTrue(wire.startsWith(header + "This is a multi-part message in MIME format.\r\n--b1=_xyz\r\n"), wire);
        assertTrue(wire.contains("\r\n" + base64 + "\r\n"), "base64 text kept: " + wire);
        Message parsed = parse(recorded);
        Multipart multipart = assertInstanceOf(Multipart.class, parsed.getBody());
        assertEquals("b1=_xyz", ((ContentTypeField) parsed.getHeader().getField("Content-Type")).getBoundary());
        assertEquals(2, multipart.getCount());
        Entity text = multipart.getBodyParts().get(0);
        assertEquals("quoted-printable", text.getContentTransferEncoding());
        assertEquals("Grüße", new String(content(text), StandardCharsets.UTF_8));
        Entity attachment = multipart.getBodyParts().get(1);
        assertEquals("base64", attachment.getContentTransferEncoding());
        assertEquals("data.bin", attachment.getFilename());
        assertArrayEquals(binary, content(attachment));
    }

    @Test
    void attachedMessageIsNeverEncodedAsAWholeOnlyItsParts() throws Exception {
        byte[] original = utf8("From: a@example.org\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n"
                + "--outer\r\n"
                + "Content-Type: message/rfc822\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n"
                + "\r\n"
                + "From: inner@example.org\r\nContent-Type: application/x-thing\r\n\r\n"
                + "bin\u00e4r\r\n"
                + "--outer--\r\n");

        byte[] recorded = send(original).content();

        assertSevenBit(recorded);
        Entity attached = ((Multipart) parse(recorded).getBody()).getBodyParts().get(0);
        assertEquals("message/rfc822", attached.getMimeType());
        assertEquals("7bit", attached.getContentTransferEncoding()); // relabelled from 8bit, not encoded
        Message inner = assertInstanceOf(Message.class, attached.getBody());
        assertEquals("base64", inner.getContentTransferEncoding());
        assertArrayEquals(utf8("binär"), content(inner));
    }

    // ---------------------------------------------------------------- building blocks

    @Test
    void caseInsensitiveMultiMapIteratesInInsertionOrderAcrossNames() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        headers.add("Received", "1");
        headers.add("From", "f");
        headers.add("received", "2\r\n\tfolded");
        headers.add("Subject", "s");
        headers.add("RECEIVED", "3");
        List<String> order = new ArrayList<>();
        headers.forEach(e -> order.add(e.getKey() + "=" + e.getValue()));
        assertEquals(List.of("Received=1", "From=f", "received=2\r\n\tfolded", "Subject=s", "RECEIVED=3"), order);
        // the encoder copies our map with addAll into a fresh one: that keeps the order too
        List<String> copied = new ArrayList<>();
        MultiMap.caseInsensitiveMultiMap().addAll(headers).forEach(e -> copied.add(e.getKey() + "=" + e.getValue()));
        assertEquals(order, copied);
    }

    @Test
    void mailMessageCarriesEnvelopeFixedHeadersAndTheStandIn() {
        OutgoingMessage message = OutgoingMessage.of(FROM, TO, crlf("Subject: s", " folded", "From: a", "", "l1", ".l2"));
        MailMessage m = message.mail("stand-in");
        assertEquals(FROM, m.getBounceAddress());
        assertEquals(TO, m.getTo());
        assertTrue(m.isFixedHeaders());
        assertEquals("s\r\n folded", m.getHeaders().get("subject"));
        assertEquals("stand-in", m.getText());
        assertEquals("l1\r\n..l2\r\n", message.data().toString(StandardCharsets.ISO_8859_1));
        // RFC 1870: the header block as written ("Subject: s\r\n folded\r\nFrom: a\r\n\r\n") and the body without stuffing
        assertEquals(32 + 9, message.size());
    }

    @Test
    void sevenBitCleanAllowsTabAndLineBreaksAndLinesUpTo998Octets() {
        assertTrue(OutgoingMessage.sevenBitClean(ascii("tab\there, = sign, =3D\r\n" + "x".repeat(998) + "\r\n")));
        assertTrue(OutgoingMessage.sevenBitClean(new byte[0]));
        assertFalse(OutgoingMessage.sevenBitClean(ascii("x".repeat(999))));
        assertFalse(OutgoingMessage.sevenBitClean(ascii("bare\rcr")));
        assertFalse(OutgoingMessage.sevenBitClean(ascii("nul\0")));
        assertFalse(OutgoingMessage.sevenBitClean(utf8("ü")));
        assertFalse(OutgoingMessage.sevenBitClean(new byte[] {(byte) 0x80}));
    }

    @Test
    void sevenBitCleanAgreesWithTheClientsOwnPredicateOnItsText() throws Exception {
        // the client's package-private Utils.mustEncode(String), applied to the text (CRLF as LF): the
        // rule the client used when it wrote the body itself, so what gets downgraded did not change
        java.lang.reflect.Method mustEncode = Class.forName("io.vertx.ext.mail.mailencoder.Utils")
                .getDeclaredMethod("mustEncode", String.class);
        mustEncode.setAccessible(true);
        byte[] alphabet = {'a', '=', ' ', '.', '\t', '\r', '\n', 0, 11, 31, 127, (byte) 0x80, (byte) 0xff};
        java.util.Random random = new java.util.Random(11);
        int clean = 0;
        for (int n = 0; n < 20_000; n++) {
            byte[] content = new byte[random.nextInt(12)];
            for (int i = 0; i < content.length; i++) {
                // mostly letters and line breaks, so that clean contents come up often too
                int pick = random.nextInt(4) == 0 ? random.nextInt(alphabet.length) : random.nextInt(7);
                content[i] = alphabet[pick];
            }
            String text = new String(content, StandardCharsets.ISO_8859_1).replace("\r\n", "\n");
            boolean expected = !(boolean) mustEncode.invoke(null, text);
            assertEquals(expected, OutgoingMessage.sevenBitClean(content), () -> "for " + java.util.Arrays.toString(content));
            clean += expected ? 1 : 0;
        }
        assertTrue(clean > 1_000, "too few clean samples: " + clean);
        for (String lines : List.of("x".repeat(998) + "\r\n" + "y".repeat(998), "x".repeat(998) + "\ry", "x".repeat(997) + "\r\r\n")) {
            byte[] content = ascii(lines);
            assertEquals(!(boolean) mustEncode.invoke(null, lines.replace("\r\n", "\n")), OutgoingMessage.sevenBitClean(content), lines);
        }
    }

    @Test
    void unsendableMessagesAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> OutgoingMessage.of(FROM, TO, utf8("Subject: Grüße\r\n\r\nbody\r\n")), "8-bit header");
        assertThrows(IllegalArgumentException.class,
                () -> OutgoingMessage.of(FROM, TO, ascii("no colon here\r\n\r\nbody\r\n")), "malformed field");
        assertThrows(IllegalArgumentException.class,
                () -> OutgoingMessage.of(FROM, TO, ascii(" From: a\r\n\r\nbody\r\n")), "continuation first");
        assertThrows(IllegalArgumentException.class,
                () -> OutgoingMessage.of(FROM, TO, ascii(".X: a\r\n\r\nbody\r\n")), "header lines are not dot-stuffed");
        // mime4j re-encodes part contents, not the 8-bit bytes of a part's header
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OutgoingMessage.of(FROM, TO, utf8(
                "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
                        + "--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=\"Grüße.txt\"\r\n\r\nhi\r\n"
                        + "--b--\r\n")));
        assertTrue(e.getMessage().contains("after the 7-bit downgrade"), e.getMessage());
    }

    // ---------------------------------------------------------------- helpers

    private static Transaction send(byte[] message) throws Exception {
        await(client.send(OutgoingMessage.of(FROM, TO, message)));
        Transaction t = RECEIVED.poll(10, TimeUnit.SECONDS); // recorded before the server answers 250
        assertTrue(t != null, "nothing recorded");
        return t;
    }

    private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static void assertSevenBit(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            assertTrue(bytes[i] >= 0, "8-bit byte at " + i + ": " + text(bytes));
        }
    }

    private static Message parse(byte[] message) throws IOException {
        return new DefaultMessageBuilder().parseMessage(new ByteArrayInputStream(message));
    }

    /** Decoded content of a single-part entity. */
    private static byte[] content(Entity entity) throws IOException {
        try (InputStream in = assertInstanceOf(SingleBody.class, entity.getBody()).getInputStream()) {
            return in.readAllBytes();
        }
    }

    private static byte[] crlf(String... lines) {
        return ascii(String.join("\r\n", lines) + "\r\n");
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** One mail transaction as the server saw it; {@code data} is the DATA payload as sent, dot-stuffed. */
    private record Transaction(String from, List<String> recipients, byte[] data) {

        /** The message: DATA with the dot-stuffing undone (RFC 5321 4.5.2). */
        byte[] content() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            boolean lineStart = true;
            for (byte b : data) {
                if (!(lineStart && b == '.')) {
                    out.write(b);
                }
                lineStart = b == '\n';
            }
            return out.toByteArray();
        }
    }

    /** A minimal SMTP server side: no extensions, records each DATA payload up to CRLF.CRLF. */
    private static final class SmtpSession {
        private final NetSocket socket;
        private Buffer pending = Buffer.buffer();
        private boolean inData;
        private String from;
        private List<String> recipients = new ArrayList<>();

        SmtpSession(NetSocket socket) {
            this.socket = socket;
        }

        void start() {
            socket.handler(chunk -> {
                pending.appendBuffer(chunk);
                while (inData ? takeData() : takeCommand()) {
                    // consume everything complete in the buffer
                }
            });
            reply("220 test ESMTP");
        }

        private boolean takeCommand() {
            int eol = indexOf(pending, "\r\n");
            if (eol < 0) {
                return false;
            }
            String line = pending.getString(0, eol, "US-ASCII");
            pending = pending.getBuffer(eol + 2, pending.length());
            String verb = line.length() < 4 ? line : line.substring(0, 4).toUpperCase();
            switch (verb) {
                case "EHLO", "HELO" -> reply("250 test");
                case "MAIL" -> {
                    from = line.substring(line.indexOf('<') + 1, line.indexOf('>'));
                    recipients = new ArrayList<>();
                    reply("250 ok");
                }
                case "RCPT" -> {
                    recipients.add(line.substring(line.indexOf('<') + 1, line.indexOf('>')));
                    reply("250 ok");
                }
                case "DATA" -> {
                    inData = true;
                    reply("354 go ahead");
                }
                case "QUIT" -> {
                    reply("221 bye");
                    socket.close();
                }
                default -> reply("250 ok"); // RSET, NOOP
            }
            return true;
        }

        private boolean takeData() {
            int contentEnd;
            int next;
            if (pending.length() >= 3 && pending.getString(0, 3, "US-ASCII").equals(".\r\n")) {
                contentEnd = 0; // empty content
                next = 3;
            } else {
                int end = indexOf(pending, "\r\n.\r\n");
                if (end < 0) {
                    return false;
                }
                contentEnd = end + 2; // the CRLF ends the last line
                next = end + 5;
            }
            byte[] data = pending.getBytes(0, contentEnd);
            pending = pending.getBuffer(next, pending.length());
            inData = false;
            RECEIVED.add(new Transaction(from, recipients, data));
            reply("250 queued");
            return true;
        }

        private void reply(String line) {
            socket.write(line + "\r\n");
        }

        private static int indexOf(Buffer buffer, String needle) {
            byte[] n = needle.getBytes(StandardCharsets.US_ASCII);
            byte[] b = buffer.getBytes();
            outer:
            for (int i = 0; i + n.length <= b.length; i++) {
                for (int j = 0; j < n.length; j++) {
                    if (b[i + j] != n[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
