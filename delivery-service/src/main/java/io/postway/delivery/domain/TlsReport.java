package io.postway.delivery.domain;

import java.time.Instant;

/**
 * What the event says about TLS: the negotiated session and the peer certificate, as checked.
 * {@code webPkiProblem}: what strict validation (a trusted chain naming the host, RFC 8461 4.2)
 * says of the certificate, as an RFC 8460 result type ({@code certificate-not-trusted},
 * {@code certificate-expired}, {@code certificate-host-mismatch}), null when it passes or no
 * certificate was seen; reported whatever the policy enforced (MTA-STS testing reads it).
 */
public record TlsReport(boolean used, String protocol, String cipher, Boolean verified,
                        String peerSubject, String peerIssuer, Instant peerNotAfter, String webPkiProblem) {

    public static final TlsReport NONE = new TlsReport(false, null, null, null, null, null, null, null);

    public TlsReport(boolean used, String protocol, String cipher, Boolean verified, String peerSubject, String peerIssuer,
                     Instant peerNotAfter) {
        this(used, protocol, cipher, verified, peerSubject, peerIssuer, peerNotAfter, null);
    }
}
