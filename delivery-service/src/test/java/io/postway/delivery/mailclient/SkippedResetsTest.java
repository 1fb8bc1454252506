package io.postway.delivery.mailclient;

import io.postway.contract.policy.AuthMethod;
import io.postway.delivery.faults.FaultSmtpServer;
import io.postway.delivery.mailclient.VertxMailClient.Transport;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.mail.MailClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.postway.delivery.mailclient.VertxMailClientPinTest.await;
import static io.postway.delivery.mailclient.VertxMailClientPinTest.message;
import static io.postway.delivery.mailclient.VertxMailClientPinTest.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When the RSET before a reused connection's transaction goes out, and when {@link SkippedResets} keeps it back. */
class SkippedResetsTest {

    private static final Vertx VERTX = Vertx.vertx();

    @AfterAll
    static void close() throws Exception {
        VERTX.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** The quirk this class works around, pinned: the bare client resets a reused connection before every transaction. */
    @Test
    void theBareClientSendsRsetBeforeEachTransactionOnAReusedConnection() throws Exception {
        try (FaultSmtpServer server = new FaultSmtpServer()) {
            MailClient client = MailClient.create(VERTX, VertxMailClient.config(settings("127.0.0.1", server.port(), Transport.PLAINTEXT, AuthMethod.NONE)));
            await(client.sendMail(message("it@contoso.test", "a@fault.test").mail("pin")));
            await(client.sendMail(message("it@contoso.test", "b@fault.test").mail("pin")));
            client.close();
            assertEquals(1, server.connections.get());
            assertEquals(1, server.commands.stream().filter("RSET"::equals).count(), server.commands.toString());
        }
    }

    @Test
    void afterACleanTransactionTheNextOneOnTheConnectionStartsWithMailAtOnce() throws Exception {
        try (FaultSmtpServer server = new FaultSmtpServer()) {
            VertxMailClientPinTest.Recorder tap = new VertxMailClientPinTest.Recorder();
            VertxMailClient client = new VertxMailClient(VERTX, settings("127.0.0.1", server.port(), Transport.PLAINTEXT, AuthMethod.NONE), tap);
            for (String rcpt : List.of("a@fault.test", "b@fault.test", "c@fault.test")) {
                assertEquals(List.of(rcpt), await(client.send(message("it@contoso.test", rcpt))));
            }
            client.close();
            assertEquals(1, server.connections.get());
            assertEquals(3, server.messages.size());
            assertFalse(server.commands.contains("RSET"), server.commands.toString());
            assertEquals(3, server.commands.stream().filter(c -> c.startsWith("MAIL FROM")).count(), server.commands.toString());
            // the transcript shows the wire as it was: no RSET in it either
            assertFalse(String.join("", tap.written).contains("RSET"), tap.written.toString());
        }
    }

    @Test
    void afterARefusedRecipientTheConnectionIsResetForReal() throws Exception {
        try (FaultSmtpServer server = new FaultSmtpServer()) {
            server.rcptReplies.put("gone", "550 5.1.1 no such user");
            VertxMailClient client = new VertxMailClient(VERTX, settings("127.0.0.1", server.port(), Transport.PLAINTEXT, AuthMethod.NONE),
                    new VertxMailClientPinTest.Recorder());
            OutgoingMessage two = OutgoingMessage.of("it@contoso.test", List.of("a@fault.test", "gone@fault.test"),
                    "Subject: pin\r\n\r\nHello.\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals(List.of("a@fault.test"), await(client.send(two)));
            assertEquals(List.of("b@fault.test"), await(client.send(message("it@contoso.test", "b@fault.test"))));
            client.close();
            assertEquals(1, server.connections.get());
            assertEquals(2, server.messages.size());
            assertTrue(server.commands.contains("RSET"), server.commands.toString());
        }
    }

    @Test
    void onlyTheLastLineOfAPositiveReplyToTheDotMakesTheConnectionClean() {
        SkippedResets resets = new SkippedResets();
        assertFalse(resets.skips(SkippedResets.RSET), "nothing sent yet");
        resets.wrote("MAIL FROM:<a@b.test>\r\n");
        resets.read(Buffer.buffer("250 ok\r\n354 go ahead\r\n"));
        resets.wrote(".\r\n");
        resets.read(Buffer.buffer("250-first\r\n"));
        assertFalse(resets.skips(SkippedResets.RSET), "the reply is not complete");
        resets.read(Buffer.buffer("250 2.0.0 queued"));
        assertFalse(resets.skips(SkippedResets.RSET), "the last line is not complete");
        resets.read(Buffer.buffer("\r\n"));
        assertFalse(resets.skips("NOOP\r\n"), "only RSET is ever skipped");
        assertTrue(resets.skips(SkippedResets.RSET));
        assertFalse(resets.skips(SkippedResets.RSET), "one skip per clean transaction");

        resets.wrote("MAIL FROM:<a@b.test>\r\n");
        resets.wrote(".\r\n");
        resets.read(Buffer.buffer("452 4.3.1 insufficient system storage\r\n"));
        assertFalse(resets.skips(SkippedResets.RSET), "a deferred message");

        resets.wrote("MAIL FROM:<a@b.test>\r\n");
        resets.read(Buffer.buffer("250 ok\r\n550-no such\r\n550 user\r\n354 go ahead\r\n"));
        resets.wrote(".\r\n");
        resets.read(Buffer.buffer("250 queued\r\n"));
        assertFalse(resets.skips(SkippedResets.RSET), "a refused recipient in the transaction");

        resets.wrote("MAIL FROM:<a@b.test>\r\n");
        resets.wrote(".\r\n");
        resets.read(Buffer.buffer("250 ok\r\n"));
        resets.closed();
        assertFalse(resets.skips(SkippedResets.RSET), "a closed connection");

        resets.wrote("MAIL FROM:<a@b.test>\r\n");
        resets.read(Buffer.buffer("250 ok\r\n"));
        assertFalse(resets.skips(SkippedResets.RSET), "a reply to another command");
    }
}
