package io.postway.delivery.domain;

import io.postway.contract.policy.AuthMethod;
import io.postway.contract.policy.PolicyRule;
import io.postway.contract.policy.TlsMode;
import io.postway.contract.policy.TlsVerify;
import io.postway.contract.policy.TlsVersion;
import io.postway.delivery.domain.SessionFailure.Kind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiagnosisTest {

    private static final PolicyRule.Tls REQUIRED_12 = new PolicyRule.Tls(TlsMode.REQUIRED, TlsVerify.NONE, TlsVersion.TLS_1_2, TlsVersion.TLS_1_3, false, false);
    private static final PolicyRule.Tls DISABLED = new PolicyRule.Tls(TlsMode.DISABLED, TlsVerify.NONE, TlsVersion.TLS_1_2, TlsVersion.TLS_1_3, false, false);
    private static final PolicyRule.Auth NO_AUTH = new PolicyRule.Auth(AuthMethod.NONE, null, null);
    private static final PolicyRule.Auth PLAIN = new PolicyRule.Auth(AuthMethod.PLAIN, "relayuser", "v1:k:x");

    private static SmtpReply reply(String... lines) {
        return SmtpReply.of(List.of(lines));
    }

    @Test
    void protocolVersionMismatchNamesTheHostAndTheAllowedVersions() {
        String d = Diagnosis.of(SessionFailure.of(Kind.TLS_PROTOCOL_VERSION, Stage.TLS_HANDSHAKE, "mail.fabrikam.com", "x"), REQUIRED_12, NO_AUTH);
        assertEquals("The TLS handshake failed (protocol_version): mail.fabrikam.com accepts none of TLSv1.2-TLSv1.3 that the policy allows. "
                + "Allow its version for this domain or disable TLS for it.", d);
    }

    @Test
    void peerClosingDuringTheHandshakeIsExplainedAsTheShortReadOfOldServers() {
        String d = Diagnosis.of(SessionFailure.of(Kind.TLS_PEER_CLOSED, Stage.TLS_HANDSHAKE, "mail.fabrikam.com", null), REQUIRED_12, NO_AUTH);
        assertTrue(d.contains("mail.fabrikam.com closed the connection during the handshake"), d);
        assertTrue(d.contains("short read"), d);
        assertTrue(d.contains("TLSv1.2-TLSv1.3"), d);
    }

    @Test
    void untrustedCertificateSaysWhichVerifyLevelAndHowToTrustTheCa() {
        var tls = new PolicyRule.Tls(TlsMode.REQUIRED, TlsVerify.CA, TlsVersion.TLS_1_2, TlsVersion.TLS_1_3, false, false);
        String d = Diagnosis.of(SessionFailure.of(Kind.TLS_UNTRUSTED, Stage.TLS_HANDSHAKE, "mx.peer.test", "issuer CN=Test CA not trusted"), tls, NO_AUTH);
        assertTrue(d.startsWith("The certificate of mx.peer.test is not trusted (issuer CN=Test CA not trusted)"), d);
        assertTrue(d.contains("verify CA") && d.contains("POSTWAY_TLS_TRUST"), d);
    }

    @Test
    void nameMismatchNamesTheHostAndTheCertificateNames() {
        var tls = new PolicyRule.Tls(TlsMode.REQUIRED, TlsVerify.HOSTNAME, TlsVersion.TLS_1_2, TlsVersion.TLS_1_3, false, false);
        String d = Diagnosis.of(SessionFailure.of(Kind.TLS_NAME_MISMATCH, Stage.TLS_HANDSHAKE, "localhost", "wrong.example"), tls, NO_AUTH);
        assertTrue(d.contains("does not name localhost (it names wrong.example)") && d.contains("verify HOSTNAME"), d);
    }

    @Test
    void starttlsNotOfferedUnderRequiredSaysNothingWasSent() {
        String d = Diagnosis.of(SessionFailure.of(Kind.STARTTLS_NOT_OFFERED, Stage.STARTTLS, "mx.peer.test", null), REQUIRED_12, NO_AUTH);
        assertTrue(d.startsWith("mx.peer.test does not offer STARTTLS and the policy requires TLS (mode REQUIRED)"), d);
    }

    @Test
    void starttlsRequiredByTheRemoteUnderDisabledPointsAtThePolicy() {
        SmtpReply r = reply("530 5.7.0 Must issue a STARTTLS command first");
        assertTrue(Classification.isTlsRequiredByRemote(r, false));
        var f = new SessionFailure(Kind.TLS_REQUIRED_BY_REMOTE, Stage.MAIL, "mx.peer.test", r, null);
        assertEquals(Outcome.DEFERRED, Classification.of(f));
        String d = Diagnosis.of(f, DISABLED, NO_AUTH);
        assertTrue(d.contains("requires TLS (530 5.7.0 Must issue a STARTTLS command first at the MAIL FROM step)"), d);
        assertTrue(d.contains("policy disables TLS"), d);
    }

    @Test
    void authNotOfferedBeforeTlsSuggestsEnablingTls() {
        String d = Diagnosis.of(SessionFailure.of(Kind.AUTH_NOT_OFFERED, Stage.AUTH, "mx.peer.test", "before TLS"), DISABLED, PLAIN);
        assertTrue(d.startsWith("mx.peer.test does not offer AUTH PLAIN before TLS"), d);
    }

    @Test
    void authFailedNamesTheUserButNeverThePassword() {
        var f = new SessionFailure(Kind.AUTH_FAILED, Stage.AUTH, "mx.peer.test", reply("535 5.7.8 Error: authentication failed"), null);
        String d = Diagnosis.of(f, REQUIRED_12, PLAIN);
        assertTrue(d.contains("rejected the login as relayuser with 535 5.7.8"), d);
        assertTrue(!d.contains("v1:k:x"), d);
        assertEquals(Outcome.DEFERRED, Classification.of(f));
    }

    @Test
    void authWithoutEncryptionIsRefusedLocally() {
        String d = Diagnosis.of(SessionFailure.of(Kind.AUTH_NOT_ENCRYPTED, Stage.AUTH, "mx.peer.test", null), REQUIRED_12, PLAIN);
        assertTrue(d.contains("credentials were not sent"), d);
    }

    @Test
    void connectionRefusedAndTimedOutNameHostAndAddress() {
        String refused = Diagnosis.of(SessionFailure.of(Kind.CONNECTION_REFUSED, Stage.CONNECT, "mx.peer.test", "127.0.0.1:1"), REQUIRED_12, NO_AUTH);
        assertTrue(refused.startsWith("mx.peer.test (127.0.0.1:1) refused the connection"), refused);
        String timeout = Diagnosis.of(SessionFailure.of(Kind.CONNECT_TIMEOUT, Stage.CONNECT, "mx.peer.test", "127.0.0.1:25"), REQUIRED_12, NO_AUTH);
        assertTrue(timeout.startsWith("No connection to mx.peer.test (127.0.0.1:25)"), timeout);
        String stalled = Diagnosis.of(SessionFailure.of(Kind.TIMEOUT, Stage.GREETING, "mx.peer.test", "3 s"), REQUIRED_12, NO_AUTH);
        assertTrue(stalled.contains("did not answer within 3 s at the GREETING step"), stalled);
    }

    @Test
    void transientRepliesAtMailRcptDataAreDeferredWithTheReply() {
        for (Stage stage : List.of(Stage.MAIL, Stage.RCPT, Stage.DATA)) {
            var f = SessionFailure.reply(stage, "mx.peer.test", reply("451 4.3.0 <defer451@x.test>: Recipient address rejected: try later"));
            assertEquals(Outcome.DEFERRED, Classification.of(f));
            String d = Diagnosis.of(f, REQUIRED_12, NO_AUTH);
            assertTrue(d.contains("temporarily refused") && d.contains("451 4.3.0"), d);
            assertTrue(d.contains(Diagnosis.stepName(stage)), d);
        }
    }

    @Test
    void permanentRepliesAtMailRcptDataBounceWithTheEnhancedCode() {
        for (Stage stage : List.of(Stage.MAIL, Stage.RCPT, Stage.DATA)) {
            var f = SessionFailure.reply(stage, "mx.peer.test", reply("550 5.1.1 <reject550@x.test>: Recipient address rejected"));
            assertEquals(Outcome.BOUNCED, Classification.of(f));
            assertEquals("5.1.1", f.reply().enhancedCode());
            String d = Diagnosis.of(f, REQUIRED_12, NO_AUTH);
            assertTrue(d.contains("rejected") && d.contains("550 5.1.1") && d.contains("bounces"), d);
        }
    }

    @Test
    void permanentRepliesToTheSessionItselfAreDeferredNotBounced() {
        var f = SessionFailure.reply(Stage.GREETING, "mx.peer.test", reply("554 5.3.2 go away"));
        assertEquals(Outcome.DEFERRED, Classification.of(f));
    }

    @Test
    void nullMxBouncesAtOnce() {
        var f = SessionFailure.of(Kind.NULL_MX, Stage.CONNECT, "nomail.test", null);
        assertEquals(Outcome.BOUNCED, Classification.of(f));
        assertTrue(Diagnosis.of(f, REQUIRED_12, NO_AUTH).contains("null MX record (RFC 7505)"));
    }

    @Test
    void garbageRepliesSayThePortMayServeAnotherProtocol() {
        var f = SessionFailure.of(Kind.GARBAGE_REPLY, Stage.GREETING, "mx.peer.test", "\"HTTP/1.1 400\"");
        assertEquals(Outcome.DEFERRED, Classification.of(f));
        assertTrue(Diagnosis.of(f, REQUIRED_12, NO_AUTH).contains("not SMTP"));
    }

    @Test
    void deliveredSentenceSaysHowTheMessageTravelled() {
        assertEquals("Delivered to mx.peer.test (MX) over TLSv1.3 (TLS_AES_256_GCM_SHA384), certificate verified.",
                Diagnosis.delivered("mx.peer.test", "MX", new Diagnosis.TlsSummary(true, "TLSv1.3", "TLS_AES_256_GCM_SHA384", true), false));
        assertEquals("Delivered to h (SMART_HOST) in plaintext after the TLS handshake failed (fallbackToPlaintext).",
                Diagnosis.delivered("h", "SMART_HOST", new Diagnosis.TlsSummary(false, null, null, null), true));
    }
}
