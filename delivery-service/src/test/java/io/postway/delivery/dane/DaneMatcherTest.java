package io.postway.delivery.dane;

import io.postway.delivery.smtp.Peers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 7672/6698 matching against the Postfix peers' real certificates (deploy/peers/.run/tls). */
class DaneMatcherTest {

    static X509Certificate ca;
    static X509Certificate server;
    static X509Certificate wrong;

    @BeforeAll
    static void load() throws Exception {
        Path tls = Peers.ca().getParent();
        ca = cert(tls.resolve("ca.pem"));
        server = cert(tls.resolve("server.crt"));
        wrong = cert(tls.resolve("wrong.crt"));
    }

    static X509Certificate cert(Path p) throws Exception {
        try (InputStream in = Files.newInputStream(p)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    static TlsaRecord rec(int usage, int selector, int matching, X509Certificate c) throws Exception {
        byte[] selected = selector == 0 ? c.getEncoded() : c.getPublicKey().getEncoded();
        byte[] data = switch (matching) {
            case 1 -> MessageDigest.getInstance("SHA-256").digest(selected);
            case 2 -> MessageDigest.getInstance("SHA-512").digest(selected);
            default -> selected;
        };
        return new TlsaRecord(usage, selector, matching, data);
    }

    @Test
    void daneEeMatchesEverySelectorAndMatchingTypeWithoutLookingAtNames() throws Exception {
        for (int selector = 0; selector <= 1; selector++) {
            for (int matching = 0; matching <= 2; matching++) {
                TlsaRecord r = rec(3, selector, matching, wrong);
                assertTrue(r.usableForSmtp(), r.presentation());
                assertTrue(DaneMatcher.match(List.of(r), new X509Certificate[]{wrong}, "mx.example.test").matched(), r.presentation());
                assertFalse(DaneMatcher.match(List.of(r), new X509Certificate[]{server}, "mx.peer.test").matched(), r.presentation());
            }
        }
    }

    @Test
    void daneTaNeedsTheChainToTheAnchorAndTheMxNameInTheLeaf() throws Exception {
        TlsaRecord digest = rec(2, 1, 1, ca);
        // the anchor presented in the chain, matched by digest
        assertTrue(DaneMatcher.match(List.of(digest), new X509Certificate[]{server, ca}, "ta.peer.test").matched());
        // a digest alone cannot stand for an anchor the server does not send
        assertFalse(DaneMatcher.match(List.of(digest), new X509Certificate[]{server}, "ta.peer.test").matched());
        // a full certificate (2 0 0) or key (2 1 0) is the anchor even when the server sends only its leaf (RFC 7671 5.2.2)
        assertTrue(DaneMatcher.match(List.of(rec(2, 0, 0, ca)), new X509Certificate[]{server}, "ta.peer.test").matched());
        assertTrue(DaneMatcher.match(List.of(rec(2, 1, 0, ca)), new X509Certificate[]{server}, "ta.peer.test").matched());
        // the leaf must name the TLSA base domain
        var noName = DaneMatcher.match(List.of(rec(2, 0, 0, ca)), new X509Certificate[]{wrong}, "ta.peer.test");
        assertFalse(noName.matched());
        assertTrue(noName.detail().contains("does not name ta.peer.test"), noName.detail());
        // a leaf issued by another anchor does not chain to this one
        assertFalse(DaneMatcher.match(List.of(rec(2, 0, 0, server)), new X509Certificate[]{server}, "mx.peer.test").matched());
    }

    @Test
    void pkixUsagesAndMalformedRecordsAreNotUsableForSmtp() throws Exception {
        assertFalse(rec(0, 0, 1, ca).usableForSmtp(), "PKIX-TA(0)");
        assertFalse(rec(1, 1, 1, server).usableForSmtp(), "PKIX-EE(1)");
        assertFalse(new TlsaRecord(3, 1, 1, new byte[31]).usableForSmtp(), "a SHA-256 digest has 32 bytes");
        assertFalse(new TlsaRecord(3, 2, 1, new byte[32]).usableForSmtp(), "selector 2 is unknown");
        assertFalse(new TlsaRecord(3, 1, 3, new byte[32]).usableForSmtp(), "matching type 3 is unknown");
        assertTrue(new TlsaRecord(3, 1, 1, new byte[32]).presentation().startsWith("3 1 1 0000"));
    }
}
