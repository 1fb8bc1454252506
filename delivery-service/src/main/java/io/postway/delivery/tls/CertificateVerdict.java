package io.postway.delivery.tls;

import io.postway.delivery.domain.SessionFailure;

import java.security.cert.X509Certificate;

/**
 * What the trust manager found in a handshake; {@code refusedAs} is set when it ended the handshake;
 * {@code webPkiProblem} is the RFC 8460 result type strict validation would give (null: it passes).
 * {@code daneMatched} (DANE, RFC 7672): whether the chain matched the host's usable TLSA records,
 * null when none were in force (then {@code verified} is the WebPKI check's).
 */
public record CertificateVerdict(X509Certificate leaf, boolean verified, SessionFailure.Kind refusedAs, String detail,
                                 String webPkiProblem, Boolean daneMatched) {

    /** Told of every verdict, with the protocol and cipher negotiated so far. */
    public interface Listener {
        void certificate(CertificateVerdict verdict, String protocol, String cipher);
    }
}
