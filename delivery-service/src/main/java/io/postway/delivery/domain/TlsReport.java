package io.postway.delivery.domain;

import java.time.Instant;

/** What the event says about TLS: the negotiated session and the peer certificate, as checked. */
public record TlsReport(boolean used, String protocol, String cipher, Boolean verified,
                        String peerSubject, String peerIssuer, Instant peerNotAfter) {

    public static final TlsReport NONE = new TlsReport(false, null, null, null, null, null, null);
}
