package io.postway.delivery.smtp;

import io.postway.contract.tlsrpt.ResultType;
import io.postway.contract.policy.AuthMethod;
import io.postway.contract.policy.TlsMode;
import io.postway.contract.policy.TlsVerify;
import io.postway.delivery.domain.Outcome;
import io.postway.delivery.domain.RecipientResult;
import io.postway.delivery.domain.Stage;
import io.postway.delivery.domain.Via;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.postway.delivery.smtp.DeliveryHarness.unique;
import static io.postway.delivery.smtp.Policies.policy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sessions against the real Postfix peers of deploy/peers (one listener per kind of server). */
class PostfixPeersTest {

    static DeliveryHarness h;
    static DeliveryHarness noExtraCa;

    @BeforeAll
    static void start() {
        h = new DeliveryHarness(Peers.ca(), Duration.ofSeconds(5));
        noExtraCa = new DeliveryHarness(null, Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() throws Exception {
        h.close();
        noExtraCa.close();
    }

    private static void assertDelivered(RecipientResult r) {
        assertEquals(Outcome.DELIVERED, r.outcome(), r.diagnosis() + "\n" + String.join("\n", r.transcript()));
        assertEquals(Stage.DONE, r.stage());
        assertEquals(250, r.reply().code());
    }

    @Test
    void deliversOverTls13ViaMxWithHostnameVerification() throws Exception {
        String rcpt = unique("modern", "peer.test");
        RecipientResult r = h.deliverOne(rcpt, policy().verify(TlsVerify.HOSTNAME).port(Peers.port("STARTTLS")).build());
        assertDelivered(r);
        assertEquals("mx.peer.test", r.remote().host());
        assertEquals("127.0.0.1", r.remote().ip());
        assertEquals(Via.MX, r.remote().via());
        assertTrue(r.tls().used());
        assertEquals("TLSv1.3", r.tls().protocol());
        assertNotNull(r.tls().cipher());
        assertEquals(Boolean.TRUE, r.tls().verified());
        assertTrue(r.tls().peerSubject().contains("mx.peer.test"), r.tls().peerSubject());
        assertNotNull(r.tls().peerIssuer());
        assertNotNull(r.tls().peerNotAfter());
        assertTrue(r.diagnosis().contains("over TLSv1.3"), r.diagnosis());
        assertTrue(r.transcript().contains("C: STARTTLS"), r.transcript().toString());
        String mail = Peers.awaitMessageFor(rcpt);
        assertTrue(mail.contains("with ESMTPS") && mail.contains("using TLSv1.3"), mail);
        assertTrue(mail.contains("\n..leading dot line") || mail.contains("\n.leading dot line"), mail);
    }

    @Test
    void seedStoryRequiredTls12ToTheTls10ServerDefersNamingTheVersionMismatch() throws Exception {
        String rcpt = unique("seed", "tls10.peer.test");
        RecipientResult r = h.deliverOne(rcpt, policy().port(Peers.port("TLS10")).build());
        assertEquals(Outcome.DEFERRED, r.outcome(), String.join("\n", r.transcript()));
        assertEquals(Stage.TLS_HANDSHAKE, r.stage());
        assertEquals("old.peer.test", r.remote().host());
        assertTrue(r.diagnosis().contains("old.peer.test") && r.diagnosis().contains("TLSv1.2-TLSv1.3"), r.diagnosis());
        assertEquals("The TLS handshake failed (protocol_version): old.peer.test accepts none of TLSv1.2-TLSv1.3 that the policy allows. "
                + "Allow its version for this domain or disable TLS for it.", r.diagnosis());
        assertTrue(r.transcript().contains("C: STARTTLS"), r.transcript().toString());
        assertFalse(r.tls().used());
        assertEquals(ResultType.VALIDATION_FAILURE, r.failureType());
        assertFalse(Peers.hasMessageFor(rcpt));
    }

    @Test
    void seedStoryTlsDisabledForTheDomainDeliversInPlaintext() throws Exception {
        String rcpt = unique("seed-off", "tls10.peer.test");
        RecipientResult r = h.deliverOne(rcpt, policy().rule("tls10.peer.test").mode(TlsMode.DISABLED).port(Peers.port("TLS10")).build());
        assertDelivered(r);
        assertFalse(r.tls().used());
        assertFalse(r.transcript().contains("C: STARTTLS"));
        assertTrue(r.diagnosis().contains("in plaintext"), r.diagnosis());
        String mail = Peers.awaitMessageFor(rcpt);
        assertFalse(mail.contains("using TLS"), mail);
    }

    @Test
    void seedStoryMinVersionTls1DeliversOverTls10() throws Exception {
        String rcpt = unique("seed-v1", "tls10.peer.test");
        RecipientResult r = h.deliverOne(rcpt, policy().rule("tls10.peer.test").versions("TLSv1", "TLSv1.3").port(Peers.port("TLS10")).build());
        assertDelivered(r);
        assertEquals("TLSv1", r.tls().protocol());
        assertTrue(r.diagnosis().contains("over TLSv1 "), r.diagnosis());
        String mail = Peers.awaitMessageFor(rcpt);
        assertTrue(mail.contains("using TLSv1 with cipher"), mail);
    }

    @Test
    void tls10IsNeverOfferedToDomainsWhosePolicyDoesNotAllowIt() throws Exception {
        // same JVM, legacy protocols made possible above: a TLSv1.2+ policy must still fail against the 1.0 server
        RecipientResult r = h.deliverOne(unique("strict", "tls10.peer.test"),
                policy().mode(TlsMode.OPPORTUNISTIC).port(Peers.port("TLS10")).build());
        assertEquals(Outcome.DEFERRED, r.outcome());
        assertEquals(Stage.TLS_HANDSHAKE, r.stage());
    }

    @Test
    void fallbackToPlaintextRetriesWithoutTlsAndSaysSo() throws Exception {
        String rcpt = unique("fallback", "tls10.peer.test");
        RecipientResult r = h.deliverOne(rcpt, policy().mode(TlsMode.OPPORTUNISTIC).fallback().port(Peers.port("TLS10")).build());
        assertDelivered(r);
        assertTrue(r.fellBackToPlaintext());
        assertFalse(r.tls().used());
        assertTrue(r.diagnosis().contains("fallbackToPlaintext"), r.diagnosis());
        assertTrue(r.transcript().stream().anyMatch(l -> l.contains("retrying without TLS")), r.transcript().toString());
        Peers.awaitMessageFor(rcpt);
    }

    @Test
    void fallbackToPlaintextIsNeverAppliedUnderRequiredTls() throws Exception {
        // policy-service refuses this combination; should it reach delivery, TLS stays required (no POLICY_UNUSABLE either)
        RecipientResult r = h.deliverOne(unique("nofallback", "tls10.peer.test"), policy().fallback().port(Peers.port("TLS10")).build());
        assertEquals(Outcome.DEFERRED, r.outcome());
        assertEquals(Stage.TLS_HANDSHAKE, r.stage());
        assertFalse(r.fellBackToPlaintext());
        assertTrue(r.transcript().stream().noneMatch(l -> l.contains("retrying without TLS")), r.transcript().toString());
    }

    @Test
    void requiredTlsWithoutStarttlsDefersAndOpportunisticDeliversInPlaintext() throws Exception {
        RecipientResult required = h.deliverOne(unique("plain-req", "peer.test"), policy().port(Peers.port("PLAIN")).build());
        assertEquals(Outcome.DEFERRED, required.outcome());
        assertEquals(Stage.STARTTLS, required.stage());
        assertTrue(required.diagnosis().startsWith("mx.peer.test does not offer STARTTLS"), required.diagnosis());
        assertEquals(ResultType.STARTTLS_NOT_SUPPORTED, required.failureType());
        assertFalse(required.transcript().stream().anyMatch(l -> l.startsWith("C: MAIL")));

        String rcpt = unique("plain-opp", "peer.test");
        RecipientResult opp = h.deliverOne(rcpt, policy().mode(TlsMode.OPPORTUNISTIC).port(Peers.port("PLAIN")).build());
        assertDelivered(opp);
        assertFalse(opp.tls().used());
        assertTrue(Peers.awaitMessageFor(rcpt).contains("with ESMTP"));
    }

    @Test
    void serverRequiringTlsUnderDisabledPolicyDefersAtMailWithTheReply() throws Exception {
        RecipientResult r = h.deliverOne(unique("needtls", "peer.test"),
                policy().mode(TlsMode.DISABLED).port(Peers.port("TLS_REQUIRED")).build());
        assertEquals(Outcome.DEFERRED, r.outcome());
        assertEquals(Stage.MAIL, r.stage());
        assertEquals(530, r.reply().code());
        assertEquals("5.7.0", r.reply().enhancedCode());
        assertTrue(r.diagnosis().contains("requires TLS") && r.diagnosis().contains("policy disables TLS"), r.diagnosis());
        assertNull(r.failureType(), "our own policy refused TLS: no failure of the receiver's TLS");
    }

    @Test
    void authPlainBeforeTlsOnlyWhenThePolicyDisablesTls() throws Exception {
        String rcpt = unique("auth-plain", "peer.test");
        RecipientResult r = h.deliverOne(rcpt, policy().rule("auth.test").mode(TlsMode.DISABLED).port(Peers.port("AUTH"))
                .auth(AuthMethod.PLAIN, "relayuser", DeliveryHarness.seal("s3cret-pass", "auth.test")).build());
        assertDelivered(r);
        assertTrue(r.transcript().contains("C: AUTH PLAIN ****"), r.transcript().toString());
        assertTrue(r.transcript().stream().noneMatch(l -> l.contains("s3cret") || l.contains("AHJlbGF5")), r.transcript().toString());
        assertTrue(Peers.awaitMessageFor(rcpt).contains("with ESMTPA"));
    }

    @Test
    void authLoginAfterStarttlsUnderRequiredTls() throws Exception {
        String rcpt = unique("auth-login", "peer.test");
        RecipientResult r = h.deliverOne(rcpt, policy().rule("auth.test").port(Peers.port("AUTH_TLS_ONLY"))
                .auth(AuthMethod.LOGIN, "relayuser", DeliveryHarness.seal("s3cret-pass", "auth.test")).build());
        assertDelivered(r);
        assertTrue(r.tls().used());
        assertTrue(r.transcript().contains("C: AUTH LOGIN"), r.transcript().toString());
        assertTrue(r.transcript().stream().noneMatch(l -> l.contains("czNjcmV0")), r.transcript().toString());
        assertTrue(Peers.awaitMessageFor(rcpt).contains("with ESMTPSA"));
    }

    @Test
    void authOnlyAfterTlsWithTlsDisabledDefersAtAuth() throws Exception {
        RecipientResult r = h.deliverOne(unique("auth-notls", "peer.test"), policy().rule("auth.test").mode(TlsMode.DISABLED)
                .port(Peers.port("AUTH_TLS_ONLY")).auth(AuthMethod.PLAIN, "relayuser", DeliveryHarness.seal("s3cret-pass", "auth.test")).build());
        assertEquals(Outcome.DEFERRED, r.outcome());
        assertEquals(Stage.AUTH, r.stage());
        assertTrue(r.diagnosis().contains("does not offer AUTH PLAIN before TLS"), r.diagnosis());
    }

    @Test
    void wrongPasswordDefersAtAuthWithTheReply() throws Exception {
        RecipientResult r = h.deliverOne(unique("auth-bad", "peer.test"), policy().rule("auth.test").port(Peers.port("AUTH"))
                .auth(AuthMethod.PLAIN, "relayuser", DeliveryHarness.seal("wrong", "auth.test")).build());
        assertEquals(Outcome.DEFERRED, r.outcome());
        assertEquals(Stage.AUTH, r.stage());
        assertEquals(535, r.reply().code());
        assertTrue(r.diagnosis().contains("rejected the login as relayuser"), r.diagnosis());
        assertFalse(r.diagnosis().contains("wrong"));
    }

    @Test
    void opportunisticTlsNeverSendsCredentialsInPlaintext() throws Exception {
        RecipientResult r = h.deliverOne(unique("auth-opp", "peer.test"), policy().rule("auth.test").mode(TlsMode.OPPORTUNISTIC)
                .port(Peers.port("PLAIN")).auth(AuthMethod.PLAIN, "relayuser", DeliveryHarness.seal("s3cret-pass", "auth.test")).build());
        assertEquals(Outcome.DEFERRED, r.outcome());
        assertEquals(Stage.AUTH, r.stage());
        assertTrue(r.transcript().stream().noneMatch(l -> l.startsWith("C: AUTH")), r.transcript().toString());
        assertTrue(r.diagnosis().contains("credentials were not sent"), r.diagnosis());
    }

    @Test
    void wrongNameCertificateFailsHostnameVerificationButPassesCaVerification() throws Exception {
        RecipientResult hostname = h.deliverOne(unique("wrongname", "peer.test"),
                policy().verify(TlsVerify.HOSTNAME).port(Peers.port("WRONG_NAME")).build());
        assertEquals(Outcome.DEFERRED, hostname.outcome());
        assertEquals(Stage.TLS_HANDSHAKE, hostname.stage());
        assertTrue(hostname.diagnosis().contains("does not name mx.peer.test") && hostname.diagnosis().contains("wrong.invalid"), hostname.diagnosis());
        assertTrue(hostname.tls().used());
        assertEquals(Boolean.FALSE, hostname.tls().verified());
        assertTrue(hostname.tls().peerSubject().contains("wrong.invalid"));
        assertTrue(hostname.transcript().stream().noneMatch(l -> l.startsWith("C: MAIL")));
        assertEquals(ResultType.CERTIFICATE_HOST_MISMATCH, hostname.failureType());

        String rcpt = unique("wrongname-ca", "peer.test");
        RecipientResult ca = h.deliverOne(rcpt, policy().verify(TlsVerify.CA).port(Peers.port("WRONG_NAME")).build());
        assertDelivered(ca);
        assertEquals(Boolean.TRUE, ca.tls().verified());

        RecipientResult reported = h.deliverOne(unique("wrongname-opp", "peer.test"),
                policy().mode(TlsMode.OPPORTUNISTIC).verify(TlsVerify.HOSTNAME).port(Peers.port("WRONG_NAME")).build());
        assertDelivered(reported);
        assertEquals(Boolean.FALSE, reported.tls().verified());
    }

    @Test
    void untrustedCaIsRefusedUnderRequiredCaVerification() throws Exception {
        RecipientResult r = noExtraCa.deliverOne(unique("untrusted", "peer.test"),
                policy().verify(TlsVerify.CA).port(Peers.port("STARTTLS")).build());
        assertEquals(Outcome.DEFERRED, r.outcome());
        assertEquals(Stage.TLS_HANDSHAKE, r.stage());
        assertTrue(r.diagnosis().contains("is not trusted") && r.diagnosis().contains("POSTWAY_TLS_TRUST"), r.diagnosis());
        assertEquals(ResultType.CERTIFICATE_NOT_TRUSTED, r.failureType());
        assertEquals(Boolean.FALSE, r.tls().verified());
    }

    @Test
    void implicitTlsSpeaksTlsFromTheFirstByte() throws Exception {
        String rcpt = unique("implicit", "peer.test");
        RecipientResult r = h.deliverOne(rcpt, policy().verify(TlsVerify.HOSTNAME).implicitTls().port(Peers.port("IMPLICIT_TLS")).build());
        assertDelivered(r);
        assertTrue(r.tls().used());
        assertFalse(r.transcript().contains("C: STARTTLS"));
        assertTrue(Peers.awaitMessageFor(rcpt).contains("with ESMTPS"));
    }

    @Test
    void eachRecipientGetsItsOwnReply() throws Exception {
        String ok = unique("ok", "peer.test");
        String rej = "reject550@peer.test";
        String def = "defer451@peer.test";
        List<RecipientResult> rs = h.deliver("peer.test", List.of(ok, rej, def),
                policy().port(Peers.port("STARTTLS")).build(), DeliveryHarness.message(ok, "mixed"));
        assertEquals(3, rs.size());
        assertDelivered(rs.get(0));
        assertEquals(Outcome.BOUNCED, rs.get(1).outcome());
        assertEquals(Stage.RCPT, rs.get(1).stage());
        assertEquals(550, rs.get(1).reply().code());
        assertEquals("5.1.1", rs.get(1).reply().enhancedCode());
        assertTrue(rs.get(1).diagnosis().contains("rejected the recipient"), rs.get(1).diagnosis());
        assertNull(rs.get(1).failureType(), "a 550 to the recipient is no TLS failure");
        assertNull(rs.get(0).failureType());
        assertEquals(Outcome.DEFERRED, rs.get(2).outcome());
        assertEquals(Stage.RCPT, rs.get(2).stage());
        assertEquals("4.3.0", rs.get(2).reply().enhancedCode());
        assertTrue(rs.get(0).tls().used() && rs.get(1).tls().used());
        Peers.awaitMessageFor(ok);
    }

    @Test
    void nextMxIsTriedWhenTheFirstRefusesTheConnection() throws Exception {
        String rcpt = unique("failover", "failover.peer.test");
        RecipientResult r = h.deliverOne(rcpt, policy().mode(TlsMode.OPPORTUNISTIC).port(Peers.port("PLAIN")).build());
        assertDelivered(r);
        assertEquals("mx.peer.test", r.remote().host());
        assertTrue(r.transcript().isEmpty() || r.transcript().get(0).contains("mx.peer.test"), r.transcript().toString());
        Peers.awaitMessageFor(rcpt);
    }

    @Test
    void nullMxAndUnknownDomainsBounceAtOnce() throws Exception {
        RecipientResult nullMx = h.deliverOne("x@nullmx.peer.test", policy().port(Peers.port("PLAIN")).build());
        assertEquals(Outcome.BOUNCED, nullMx.outcome());
        assertTrue(nullMx.diagnosis().contains("null MX"), nullMx.diagnosis());
        RecipientResult nx = h.deliverOne("x@nosuch.peer.test", policy().port(Peers.port("PLAIN")).build());
        assertEquals(Outcome.BOUNCED, nx.outcome());
        assertTrue(nx.diagnosis().contains("NXDOMAIN"), nx.diagnosis());
        assertNull(nx.reply());
    }

    @Test
    void domainWithoutMxIsDeliveredToItsAddress() throws Exception {
        String rcpt = unique("implicitmx", "amx.peer.test");
        RecipientResult r = h.deliverOne(rcpt, policy().mode(TlsMode.OPPORTUNISTIC).port(Peers.port("STARTTLS")).build());
        assertDelivered(r);
        assertEquals(Via.A, r.remote().via());
        assertEquals("amx.peer.test", r.remote().host());
        Peers.awaitMessageFor(rcpt);
    }

    @Test
    void smartHostOverridesMx() throws Exception {
        String rcpt = unique("smart", "elsewhere.invalid");
        RecipientResult r = h.deliverOne(rcpt, policy().verify(TlsVerify.HOSTNAME).smartHost("localhost:" + Peers.port("STARTTLS")).build());
        assertDelivered(r);
        assertEquals(Via.SMART_HOST, r.remote().via());
        assertEquals("localhost", r.remote().host());
        assertEquals(Boolean.TRUE, r.tls().verified());
        Peers.awaitMessageFor(rcpt);
    }

    @Test
    void connectionRefusedDefersAtConnect() throws Exception {
        RecipientResult r = h.deliverOne(unique("refused", "peer.test"), policy().smartHost("127.0.0.1:1").build());
        assertEquals(Outcome.DEFERRED, r.outcome());
        assertEquals(Stage.CONNECT, r.stage());
        assertTrue(r.diagnosis().contains("refused the connection"), r.diagnosis());
        assertNull(r.failureType(), "a refused connection is no TLS failure");
    }
}
