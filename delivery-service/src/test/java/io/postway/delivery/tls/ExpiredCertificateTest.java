package io.postway.delivery.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A certificate out of its validity period is told apart from an untrusted one (RFC 8460's
 * {@code certificate-expired} vs {@code certificate-not-trusted}): keytool makes real certificates,
 * one that ended yesterday and one valid now.
 */
class ExpiredCertificateTest {

    @Test
    void aCertificatePastItsNotAfterIsOutOfValidityAndAValidOneIsNot(@TempDir Path dir) throws Exception {
        X509Certificate expired = certificate(dir, "expired", "-3d", "1");
        X509Certificate valid = certificate(dir, "valid", "-1d", "30");
        assertTrue(PeerCertificateCheck.outOfValidity(new X509Certificate[]{expired}));
        assertTrue(PeerCertificateCheck.outOfValidity(new X509Certificate[]{valid, expired}), "any certificate of the chain");
        assertFalse(PeerCertificateCheck.outOfValidity(new X509Certificate[]{valid}));
        assertFalse(PeerCertificateCheck.outOfValidity(null));
    }

    private static X509Certificate certificate(Path dir, String name, String start, String days) throws Exception {
        Path store = dir.resolve(name + ".p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=" + name + ".peer.test",
                "-startdate", start, "-validity", days, "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "keytool finished");
        assertEquals(0, p.exitValue(), out);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        return (X509Certificate) ks.getCertificate(name);
    }
}
