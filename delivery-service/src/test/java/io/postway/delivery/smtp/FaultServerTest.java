package io.postway.delivery.smtp;

import io.postway.contract.OutboundKey;
import io.postway.contract.policy.TlsMode;
import io.postway.delivery.domain.Outcome;
import io.postway.delivery.domain.RecipientResult;
import io.postway.delivery.domain.Stage;
import io.postway.delivery.domain.Via;
import io.postway.delivery.faults.FaultSmtpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.postway.delivery.smtp.Policies.policy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What Postfix cannot be made to do: stalls, drops, garbage, scripted replies; plus pooling limits. */
class FaultServerTest {

    static DeliveryHarness h;
    FaultSmtpServer server;

    @BeforeAll
    static void start() {
        // generous for a shared 2-core machine; stall cases take this long
        h = new DeliveryHarness(null, Duration.ofSeconds(3));
    }

    @AfterAll
    static void stop() throws Exception {
        h.close();
    }

    @BeforeEach
    void server() throws Exception {
        server = new FaultSmtpServer();
    }

    @AfterEach
    void closeServer() throws Exception {
        server.close();
    }

    private Policies plain() {
        return policy().mode(TlsMode.OPPORTUNISTIC).smartHost("127.0.0.1:" + server.port()).rule("fault-" + server.port());
    }

    @Test
    void anIpv6SmartHostInBracketsIsConnectedTo() throws Exception {
        // the machine's loopback has ::1 (ip -6 addr show lo); a smart host [::1]:port is host ::1, that port
        try (FaultSmtpServer v6 = new FaultSmtpServer("::1")) {
            RecipientResult r = h.deliverOne("u@fault.test",
                    policy().mode(TlsMode.OPPORTUNISTIC).smartHost("[::1]:" + v6.port()).rule("fault-v6-" + v6.port()).build());
            assertEquals(Outcome.DELIVERED, r.outcome(), r.diagnosis());
            assertEquals("::1", r.remote().host());
            assertEquals(v6.port(), r.remote().port());
            assertEquals(Via.SMART_HOST, r.remote().via());
            assertEquals(1, v6.connections.get());
            assertEquals(1, v6.messages.size());
        }
    }

    @Test
    void aSmartHostThatIsNotHostPortMakesThePolicyUnusable() throws Exception {
        RecipientResult r = h.deliverOne("u@fault.test", policy().smartHost("::1:25").rule("fault-bad-smarthost").build());
        assertEquals(Outcome.DEFERRED, r.outcome());
        assertTrue(r.diagnosis().contains("route.smartHost ::1:25 is not host[:port]"), r.diagnosis());
        assertEquals(0, server.connections.get());
    }

    @Test
    void exactMessageBytesArriveDotStuffedOnTheWire() throws Exception {
        byte[] content = ("From: a@b.test\r\nReceived: from one\r\n\tby two; Sat, 28 Nov 2026 10:00:00 +0000\r\n"
                + "Subject: =?utf-8?q?K=C3=B6ln?=\r\n\r\n.dot\r\n..two\r\n\tend = x\r\n\r\nlast\r\n").getBytes(StandardCharsets.US_ASCII);
        var rs = h.deliver("fault.test", List.of("u@fault.test"), plain().build(), content);
        assertEquals(Outcome.DELIVERED, rs.get(0).outcome(), rs.get(0).diagnosis());
        byte[] expected = new String(content, StandardCharsets.US_ASCII).replace("\r\n.", "\r\n..").getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(expected, server.messages.get(0), new String(server.messages.get(0), StandardCharsets.US_ASCII));
        // RFC 1870: the message's own size (CRLF line endings, without the stuffing dots), not the stand-in's
        assertTrue(server.commands.contains("MAIL FROM:<it@contoso.test> SIZE=" + content.length), server.commands.toString());
    }

    @Test
    void eightBitContentIsSentAsQuotedPrintableBecauseTheClientCannotAnnounce8BitMime() throws Exception {
        byte[] content = "From: a@b.test\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nK\u00f6ln\r\n"
                .getBytes(StandardCharsets.UTF_8);
        var rs = h.deliver("fault.test", List.of("u@fault.test"), plain().build(), content);
        assertEquals(Outcome.DELIVERED, rs.get(0).outcome(), rs.get(0).diagnosis());
        String arrived = new String(server.messages.get(0), StandardCharsets.US_ASCII);
        assertTrue(arrived.contains("Content-Transfer-Encoding: quoted-printable") && arrived.contains("K=C3=B6ln"), arrived);
        assertTrue(server.commands.stream().noneMatch(c -> c.contains("BODY=8BITMIME")), server.commands.toString());
    }

    @Test
    void stalledGreetingDefersAtGreetingAfterTheTimeout() throws Exception {
        server.greeting = FaultSmtpServer.Greeting.STALL;
        RecipientResult r = h.deliverOne("u@fault.test", plain().build());
        assertEquals(Outcome.DEFERRED, r.outcome());
        assertEquals(Stage.GREETING, r.stage());
        assertTrue(r.diagnosis().contains("did not answer within 3 s at the GREETING step"), r.diagnosis());
    }

    @Test
    void garbageInsteadOfAGreetingIsReportedAsNotSmtp() throws Exception {
        server.greeting = FaultSmtpServer.Greeting.GARBAGE;
        RecipientResult r = h.deliverOne("u@fault.test", plain().build());
        assertEquals(Outcome.DEFERRED, r.outcome());
        assertEquals(Stage.GREETING, r.stage());
        assertTrue(r.diagnosis().contains("not SMTP") && r.diagnosis().contains("HTTP/1.1 400"), r.diagnosis());
    }

    @Test
    void a554GreetingDefersTheSession() throws Exception {
        server.greeting = FaultSmtpServer.Greeting.REFUSE_554;
        RecipientResult r = h.deliverOne("u@fault.test", plain().build());
        assertEquals(Outcome.DEFERRED, r.outcome());
        assertEquals(Stage.GREETING, r.stage());
        assertEquals(554, r.reply().code());
    }

    @Test
    void droppedConnectionDuringDataDefersEveryRecipient() throws Exception {
        server.dataEnd = FaultSmtpServer.DataEnd.DROP_DURING_DATA;
        var rs = h.deliver("fault.test", List.of("a@fault.test", "b@fault.test"), plain().build(), DeliveryHarness.message("a@fault.test", "x"));
        for (RecipientResult r : rs) {
            assertEquals(Outcome.DEFERRED, r.outcome());
            assertEquals(Stage.DATA, r.stage());
            assertTrue(r.diagnosis().contains("closed the connection at the DATA step"), r.diagnosis());
        }
    }

    @Test
    void stallAfterTheFinalDotDefersAtDataAfterTheTimeout() throws Exception {
        server.dataEnd = FaultSmtpServer.DataEnd.STALL_AFTER_DOT;
        RecipientResult r = h.deliverOne("u@fault.test", plain().build());
        assertEquals(Outcome.DEFERRED, r.outcome());
        assertEquals(Stage.DATA, r.stage());
        assertTrue(r.diagnosis().contains("did not answer within 3 s at the DATA step"), r.diagnosis());
    }

    @Test
    void permanentAndTransientRepliesToTheContentBounceOrDefer() throws Exception {
        server.dataEnd = FaultSmtpServer.DataEnd.REJECT_554;
        RecipientResult bounced = h.deliverOne("u@fault.test", plain().build());
        assertEquals(Outcome.BOUNCED, bounced.outcome());
        assertEquals(Stage.DATA, bounced.stage());
        assertEquals("5.6.0", bounced.reply().enhancedCode());
        server.dataEnd = FaultSmtpServer.DataEnd.DEFER_452;
        RecipientResult deferred = h.deliverOne("u@fault.test", plain().build());
        assertEquals(Outcome.DEFERRED, deferred.outcome());
        assertEquals(Stage.DATA, deferred.stage());
    }

    @Test
    void senderRejectionAppliesToAllRecipientsAtMail() throws Exception {
        server.mailReply = "553 5.7.1 sender not allowed";
        var rs = h.deliver("fault.test", List.of("a@fault.test", "b@fault.test"), plain().build(), DeliveryHarness.message("a@fault.test", "x"));
        for (RecipientResult r : rs) {
            assertEquals(Outcome.BOUNCED, r.outcome(), r.diagnosis() + "\n" + r.transcript());
            assertEquals(Stage.MAIL, r.stage());
            assertEquals(553, r.reply().code());
        }
    }

    @Test
    void aMessageOverTheAnnouncedSizeBouncesWithoutBeingSent() throws Exception {
        // the header block alone is over the limit: the client itself refuses before MAIL
        server.sizeLimit = 100;
        RecipientResult r = h.deliverOne("big@fault.test", plain().build());
        assertEquals(Outcome.BOUNCED, r.outcome(), r.diagnosis() + "\n" + r.transcript());
        assertEquals(Stage.MAIL, r.stage());
        assertEquals("5.3.4", r.reply().enhancedCode());
        assertTrue(r.reply().text().contains("SIZE 100"), r.reply().text());
        assertTrue(server.messages.isEmpty());
        assertTrue(server.commands.stream().noneMatch(c -> c.startsWith("MAIL")), server.commands.toString());

        // the body makes it too large: MAIL declares the real size and the server refuses it (RFC 1870 6.1)
        server.sizeLimit = 1000;
        byte[] content = ("Subject: large\r\n\r\n" + ("x".repeat(70) + "\r\n").repeat(50)).getBytes(StandardCharsets.US_ASCII);
        r = h.deliver("fault.test", List.of("big@fault.test"), plain().build(), content).get(0);
        assertEquals(Outcome.BOUNCED, r.outcome(), r.diagnosis() + "\n" + r.transcript());
        assertEquals(Stage.MAIL, r.stage());
        assertEquals(552, r.reply().code());
        assertEquals("5.3.4", r.reply().enhancedCode());
        assertTrue(server.commands.contains("MAIL FROM:<it@contoso.test> SIZE=" + content.length), server.commands.toString());
        // had the body been sent after the refused MAIL, its lines would have arrived as commands
        assertTrue(server.commands.stream().noneMatch(c -> c.startsWith("Subject:") || c.startsWith("xxx")), server.commands.toString());
        assertTrue(server.messages.isEmpty());
    }

    @Test
    void withoutPipeliningEachRecipientStillGetsItsOwnReply() throws Exception {
        server.pipelining = false;
        server.rcptReplies.put("gone", "550 5.1.1 no such user");
        server.rcptReplies.put("later", "450 4.2.1 mailbox busy");
        var rs = h.deliver("fault.test", List.of("ok@fault.test", "gone@fault.test", "later@fault.test"), plain().build(),
                DeliveryHarness.message("ok@fault.test", "x"));
        assertEquals(List.of(Outcome.DELIVERED, Outcome.BOUNCED, Outcome.DEFERRED), rs.stream().map(RecipientResult::outcome).toList());
        assertEquals("no such user", rs.get(1).reply().text());
        assertEquals(1, server.messages.size());
    }

    @Test
    void allRecipientsRefusedSendsNoMessage() throws Exception {
        server.rcptReplies.put("gone", "550 5.1.1 no such user");
        var rs = h.deliver("fault.test", List.of("gone@fault.test"), plain().build(), DeliveryHarness.message("gone@fault.test", "x"));
        assertEquals(Outcome.BOUNCED, rs.get(0).outcome());
        // this server says 354 even without recipients (RFC 2920 3.1 allows it): only the dot may follow
        assertEquals(1, server.messages.size());
        assertEquals(0, server.messages.get(0).length);
        // the session stays usable after RSET
        assertEquals(Outcome.DELIVERED, h.deliverOne("ok@fault.test", plain().build()).outcome());
        assertEquals(1, server.connections.get());
        assertTrue(server.commands.contains("RSET"), server.commands.toString());
    }

    @Test
    void sessionsAreReusedAcrossMessagesUpToMessagesPerConnection() throws Exception {
        Policies p = plain().limits(5, 3);
        for (int i = 0; i < 5; i++) {
            assertEquals(Outcome.DELIVERED, h.deliverOne("u" + i + "@fault.test", p.build()).outcome());
        }
        assertEquals(5, server.messages.size());
        assertEquals(2, server.connections.get(), "3 messages on the first connection, 2 on the second");
        assertTrue(h.delivery.openConnections() >= 1);
    }

    @Test
    void aConnectionTheClientQuitIsNotMistakenForItsSuccessor() throws Exception {
        // one message per connection: the server's 221 and close arrive while the next send already runs
        Policies p = plain().limits(1, 1);
        List<CompletableFuture<RecipientResult>> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            all.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return h.deliverOne("q" + n + "@fault.test", p.build());
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        for (CompletableFuture<RecipientResult> f : all) {
            RecipientResult r = f.get(30, TimeUnit.SECONDS);
            assertEquals(Outcome.DELIVERED, r.outcome(), r.diagnosis() + "\n" + r.transcript());
        }
        assertEquals(20, server.messages.size());
        assertEquals(20, server.connections.get());
    }

    @Test
    void aPooledSessionTheServerDroppedIsReplacedWithoutDeferring() throws Exception {
        server.dropAtSecondMail = true;
        assertEquals(Outcome.DELIVERED, h.deliverOne("first@fault.test", plain().build()).outcome());
        RecipientResult second = h.deliverOne("second@fault.test", plain().build());
        assertEquals(Outcome.DELIVERED, second.outcome(), second.diagnosis());
        assertEquals(2, server.connections.get());
        assertEquals(2, server.messages.size());
    }

    @Test
    void concurrentJobsNeverOpenMoreThanMaxConnections() throws Exception {
        Policies p = plain().limits(2, 1000);
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            all.add(CompletableFuture.runAsync(() -> {
                try {
                    h.deliverOne("c" + n + "@fault.test", p.build());
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertEquals(20, server.messages.size());
        assertTrue(server.connections.get() <= 2, "opened " + server.connections.get());
    }

    @Test
    void aSlotOfAHotDomainHoldsOnlyItsShareAndAllSlotsTogetherAtMostMaxConnections() throws Exception {
        Policies p = plain().limits(5, 1000); // 5 slots (OutboundKey.slots), one connection each
        assertEquals(5, OutboundKey.slots(5));
        List<CompletableFuture<?>> oneSlot = concurrently(20, n -> new OutboundKey.Slot(2, 5), p);
        CompletableFuture.allOf(oneSlot.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertEquals(20, server.messages.size());
        assertEquals(1, server.connections.get(), "one slot of five holds one of the five connections");

        List<CompletableFuture<?>> allSlots = concurrently(40, n -> new OutboundKey.Slot(n % 5, 5), p);
        CompletableFuture.allOf(allSlots.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertEquals(60, server.messages.size());
        assertTrue(server.connections.get() <= 5, "all slots together opened " + server.connections.get());
    }

    private List<CompletableFuture<?>> concurrently(int jobs, java.util.function.IntFunction<OutboundKey.Slot> slot, Policies p) {
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            int n = i;
            all.add(CompletableFuture.runAsync(() -> {
                try {
                    String to = "s" + n + "@fault.test";
                    h.deliver("fault.test", List.of(to), p.build(), DeliveryHarness.message(to, "slot"), slot.apply(n));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        return all;
    }

    @Test
    void aStalledServerHoldsUpOnlyItsOwnPool() throws Exception {
        try (FaultSmtpServer healthy = new FaultSmtpServer()) {
            server.greeting = FaultSmtpServer.Greeting.STALL;
            CompletableFuture<RecipientResult> stalled = CompletableFuture.supplyAsync(() -> {
                try {
                    return h.deliverOne("s@fault.test", plain().build());
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            RecipientResult ok = h.deliverOne("h@healthy.test", policy().mode(TlsMode.OPPORTUNISTIC)
                    .smartHost("127.0.0.1:" + healthy.port()).build());
            assertEquals(Outcome.DELIVERED, ok.outcome());
            assertFalse(stalled.isDone(), "the healthy domain was delivered while the stalled one still waited");
            assertEquals(Outcome.DEFERRED, stalled.get(10, TimeUnit.SECONDS).outcome());
        }
    }
}
