package io.postway.delivery.domain;

import io.postway.contract.policy.TlsVersion;
import io.postway.delivery.tls.HostnameMatch;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmallRulesTest {

    @Test
    void replyParsingKeepsCodeEnhancedCodeAndAllLines() {
        SmtpReply r = SmtpReply.of(List.of("250-mx.peer.test", "250-PIPELINING", "250 STARTTLS"));
        assertEquals(250, r.code());
        assertNull(r.enhancedCode());
        assertEquals(3, r.lines().size());
        SmtpReply rej = SmtpReply.of(List.of("550 5.1.1 <a@b>: Recipient address rejected"));
        assertEquals("5.1.1", rej.enhancedCode());
        assertEquals("<a@b>: Recipient address rejected", rej.text());
        assertTrue(SmtpReply.isReplyLine("220 ready"));
        assertFalse(SmtpReply.isReplyLine("HTTP/1.1 400 Bad"));
        assertFalse(SmtpReply.isReplyLine("999 nope"));
    }

    @Test
    void versionRangesFollowTheJdkNames() {
        assertEquals(List.of("TLSv1.2", "TLSv1.3"), TlsVersions.between(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3));
        assertEquals(List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"), TlsVersions.between(TlsVersion.TLS_1_0, TlsVersion.TLS_1_3));
        assertEquals("TLSv1-TLSv1.3", TlsVersions.label(TlsVersion.TLS_1_0, TlsVersion.TLS_1_3));
        assertEquals("TLSv1", TlsVersions.label(TlsVersion.TLS_1_0, TlsVersion.TLS_1_0));
        assertThrows(IllegalArgumentException.class, () -> TlsVersions.between(TlsVersion.TLS_1_3, TlsVersion.TLS_1_2));
    }

    @Test
    void hostnameMatchingFollowsRfc6125() {
        assertTrue(HostnameMatch.matches("localhost", List.of("localhost", "mx.peer.test"), List.of("127.0.0.1"), null));
        assertTrue(HostnameMatch.matches("mx.peer.test", List.of("*.peer.test"), List.of(), null));
        assertFalse(HostnameMatch.matches("a.mx.peer.test", List.of("*.peer.test"), List.of(), null));
        assertTrue(HostnameMatch.matches("127.0.0.1", List.of("localhost"), List.of("127.0.0.1"), null));
        assertFalse(HostnameMatch.matches("127.0.0.2", List.of("localhost"), List.of("127.0.0.1"), null));
        assertFalse(HostnameMatch.matches("localhost", List.of("wrong.example"), List.of(), "localhost"));
        assertTrue(HostnameMatch.matches("old.example", List.of(), List.of(), "old.example"));
    }

    @Test
    void transcriptRedactsAuthArguments() {
        Transcript t = new Transcript();
        t.client("AUTH PLAIN AHJlbGF5dXNlcgBzM2NyZXQtcGFzcw==");
        t.clientSecret("AUTH PLAIN ");
        t.client("MAIL FROM:<a@b>");
        assertEquals(List.of("C: AUTH PLAIN ****", "C: AUTH PLAIN ****", "C: MAIL FROM:<a@b>"), t.lines());
    }
}
