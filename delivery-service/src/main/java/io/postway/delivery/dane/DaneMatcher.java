package io.postway.delivery.dane;

import io.postway.delivery.tls.PeerCertificateCheck;
import io.postway.delivery.tls.PinnedAuthentication;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Does a server's certificate chain match its usable TLSA records (RFC 7672 3, RFC 6698, RFC 7671)?
 * DANE-EE(3): the leaf's certificate or public key matches; no name check and no expiry check (RFC
 * 7672 3.1.1). DANE-TA(2): a certificate of the chain — or, for a Full(0) record, the certificate or
 * key the record itself holds, which a server need not send (RFC 7671 5.2.2) — is the trust anchor
 * the leaf chains to (PKIX path checks: signatures, validity), and the leaf names the MX host, the
 * TLSA base domain (RFC 7672 3.2.3). One matching record suffices.
 */
public final class DaneMatcher {

    private DaneMatcher() {
    }

    public static PinnedAuthentication.Verdict match(List<TlsaRecord> usable, X509Certificate[] chain, String host) {
        if (chain == null || chain.length == 0) {
            return new PinnedAuthentication.Verdict(false, "no certificate presented");
        }
        List<String> why = new ArrayList<>();
        for (TlsaRecord r : usable) {
            if (r.usage() == TlsaRecord.DANE_EE) {
                if (matches(r, chain[0])) {
                    return new PinnedAuthentication.Verdict(true, "DANE-EE " + r.presentation() + " matches the server certificate");
                }
            } else if (r.usage() == TlsaRecord.DANE_TA) {
                String problem = trustAnchorProblem(r, chain, host);
                if (problem == null) {
                    return new PinnedAuthentication.Verdict(true, "DANE-TA " + r.presentation() + " is the trust anchor of the server certificate, which names " + host);
                }
                why.add(problem);
            }
        }
        String names = PeerCertificateCheck.describeNames(chain[0]);
        return new PinnedAuthentication.Verdict(false, why.isEmpty()
                ? "no TLSA record matches the server certificate (" + names + ")"
                : "no TLSA record matches the server certificate (" + names + "): " + String.join("; ", why));
    }

    /** Null when {@code r} is a trust anchor the leaf chains to and the leaf names {@code host}; else why not. */
    private static String trustAnchorProblem(TlsaRecord r, X509Certificate[] chain, String host) {
        TrustAnchor anchor = null;
        int pathEnd = chain.length;
        for (int i = 1; i < chain.length && anchor == null; i++) {
            if (matches(r, chain[i])) {
                anchor = new TrustAnchor(chain[i], null);
                pathEnd = i;
            }
        }
        if (anchor == null && r.matching() == 0) {
            anchor = fromRecord(r, chain[chain.length - 1]);
        }
        if (anchor == null) {
            return "DANE-TA " + shortForm(r) + ": no certificate of the chain is that trust anchor";
        }
        try {
            var path = CertificateFactory.getInstance("X.509").generateCertPath(Arrays.asList(chain).subList(0, pathEnd));
            PKIXParameters params = new PKIXParameters(Set.of(anchor));
            params.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(path, params);
        } catch (GeneralSecurityException e) {
            return "DANE-TA " + shortForm(r) + ": the server certificate does not chain to it (" + e.getMessage() + ")";
        }
        if (!PeerCertificateCheck.namesHost(chain[0], host)) {
            return "DANE-TA " + shortForm(r) + ": the certificate chains to it but does not name " + host;
        }
        return null;
    }

    /** A Full(0) record's own certificate or key as the anchor; {@code top} is the chain's last certificate (its issuer names the key). */
    private static TrustAnchor fromRecord(TlsaRecord r, X509Certificate top) {
        try {
            if (r.selector() == 0) {
                var cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(r.data()));
                return new TrustAnchor(cert, null);
            }
            PublicKey key = publicKey(r.data());
            return key == null ? null : new TrustAnchor(top.getIssuerX500Principal(), key, null);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    private static PublicKey publicKey(byte[] spki) {
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448", "DSA")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(spki));
            } catch (GeneralSecurityException e) {
                // not this algorithm's key: try the next
            }
        }
        return null;
    }

    static boolean matches(TlsaRecord r, X509Certificate cert) {
        byte[] selected;
        try {
            selected = r.selector() == 0 ? cert.getEncoded() : cert.getPublicKey().getEncoded();
        } catch (CertificateEncodingException e) {
            return false;
        }
        byte[] compared = switch (r.matching()) {
            case 0 -> selected;
            case 1 -> digest("SHA-256", selected);
            case 2 -> digest("SHA-512", selected);
            default -> null;
        };
        return compared != null && MessageDigest.isEqual(compared, r.data());
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
    }

    private static String shortForm(TlsaRecord r) {
        String p = r.presentation();
        return p.length() > 24 ? p.substring(0, 24) + "…" : p;
    }
}
