package io.postway.delivery.tls;


import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a peer's certificate chain after the handshake: does it chain to a trusted CA (the JDK's
 * cacerts plus {@code POSTWAY_TLS_TRUST}), and does it name the host connected to. The handshake
 * itself trusts everything, so OPPORTUNISTIC sessions can report what they would not enforce;
 * REQUIRED sessions stop here, before any envelope or credential is sent, when the check fails.
 */
public final class PeerCertificateCheck {

    private final Set<TrustAnchor> anchors;

    public PeerCertificateCheck(Set<TrustAnchor> anchors) {
        this.anchors = Set.copyOf(anchors);
    }

    public static PeerCertificateCheck load(Path extraPem) {
        Set<TrustAnchor> anchors = new HashSet<>();
        try {
            Path cacerts = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
            if (Files.exists(cacerts)) {
                KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                try (InputStream in = Files.newInputStream(cacerts)) {
                    ks.load(in, null);
                }
                for (String alias : java.util.Collections.list(ks.aliases())) {
                    if (ks.getCertificate(alias) instanceof X509Certificate c) {
                        anchors.add(new TrustAnchor(c, null));
                    }
                }
            }
            if (extraPem != null) {
                CertificateFactory cf = CertificateFactory.getInstance("X.509");
                try (InputStream in = Files.newInputStream(extraPem)) {
                    Collection<? extends Certificate> certs = cf.generateCertificates(in);
                    for (Certificate c : certs) {
                        anchors.add(new TrustAnchor((X509Certificate) c, null));
                    }
                }
            }
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot load trusted CAs (" + extraPem + "): " + e.getMessage(), e);
        }
        return new PeerCertificateCheck(anchors);
    }

    /**
     * A standard PKIX trust manager over the same CAs (the JDK's plus {@code POSTWAY_TLS_TRUST}), for
     * clients that must refuse what these CAs do not vouch for: MTA-STS policy fetches (RFC 8461 3.3).
     */
    public javax.net.ssl.X509TrustManager webPkiTrustManager() {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (TrustAnchor a : anchors) {
                ks.setCertificateEntry("ca-" + i++, a.getTrustedCert());
            }
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
            tmf.init(ks);
            for (javax.net.ssl.TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof javax.net.ssl.X509TrustManager x) {
                    return x;
                }
            }
            throw new IllegalStateException("no X509TrustManager from PKIX");
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the WebPKI trust manager: " + e.getMessage(), e);
        }
    }

    /** Null when the chain is trusted, else why not. */
    public String chainProblem(X509Certificate[] chain) {
        if (chain == null || chain.length == 0) {
            return "no certificate presented";
        }
        try {
            List<X509Certificate> path = new ArrayList<>();
            for (X509Certificate c : chain) {
                boolean isAnchor = anchors.stream().anyMatch(a -> a.getTrustedCert().equals(c));
                if (!isAnchor) {
                    path.add(c);
                }
            }
            if (path.isEmpty()) {
                return null;
            }
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(
                    CertificateFactory.getInstance("X.509").generateCertPath(path), params);
            return null;
        } catch (java.security.cert.CertPathValidatorException e) {
            return "issuer " + chain[chain.length - 1].getIssuerX500Principal().getName() + " not trusted: " + e.getMessage();
        } catch (java.security.GeneralSecurityException e) {
            return e.getMessage();
        }
    }

    /**
     * Whether a certificate the peer sent (not a trust anchor) is outside its validity period now:
     * an expired certificate is its own RFC 8460 result type ({@code certificate-expired}).
     */
    public static boolean outOfValidity(X509Certificate[] chain) {
        if (chain == null) {
            return false;
        }
        for (X509Certificate c : chain) {
            try {
                c.checkValidity();
            } catch (java.security.cert.CertificateExpiredException | java.security.cert.CertificateNotYetValidException e) {
                return true;
            }
        }
        return false;
    }

    public static boolean namesHost(X509Certificate cert, String host) {
        return HostnameMatch.matches(host, sanNames(cert, 2), sanNames(cert, 7), commonName(cert));
    }

    public static String describeNames(X509Certificate cert) {
        List<String> names = new ArrayList<>(sanNames(cert, 2));
        names.addAll(sanNames(cert, 7));
        if (names.isEmpty() && commonName(cert) != null) {
            names.add(commonName(cert));
        }
        return String.join(", ", names);
    }

    static List<String> sanNames(X509Certificate cert, int type) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() >= 2 && Integer.valueOf(type).equals(san.get(0))) {
                        out.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // an unparsable SAN extension names nothing
        }
        return out;
    }

    static String commonName(X509Certificate cert) {
        for (String rdn : cert.getSubjectX500Principal().getName().split(",")) {
            if (rdn.strip().startsWith("CN=")) {
                return rdn.strip().substring(3);
            }
        }
        return null;
    }
}
