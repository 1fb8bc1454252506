package io.postway.delivery.domain;

import io.postway.contract.tlsrpt.ResultType;

import java.util.Optional;

/**
 * THE mapping of a failed attempt onto its RFC 8460 result type (the event's {@code failureType},
 * what a TLS-RPT report counts). A failure the receiver's published policy caused (MTA-STS, DANE)
 * wins over the session's own, since that policy is what made the session fail; otherwise only TLS
 * failures have a type: a refused connection, a 5xx to the recipient or a login problem is no TLS
 * failure and has none (the table of every kind is in contract.md, "failureType").
 */
public final class FailureTypes {

    private FailureTypes() {
    }

    /**
     * @param failure      why the session failed
     * @param mtaStsFailure the event's {@code mtaSts.failure} (an RFC 8460 name), or null
     * @param daneFailure   the event's {@code dane.failure} (an RFC 8460 name), or null
     * @return the result type, or null when the failure is not a TLS/policy failure
     */
    public static ResultType of(SessionFailure failure, String mtaStsFailure, String daneFailure) {
        Optional<ResultType> policy = ResultType.fromWireName(mtaStsFailure).or(() -> ResultType.fromWireName(daneFailure));
        return policy.orElseGet(() -> ofSession(failure));
    }

    private static ResultType ofSession(SessionFailure f) {
        return switch (f.kind()) {
            case STARTTLS_NOT_OFFERED, STARTTLS_REFUSED -> ResultType.STARTTLS_NOT_SUPPORTED;
            case TLS_NAME_MISMATCH -> ResultType.CERTIFICATE_HOST_MISMATCH;
            case TLS_EXPIRED -> ResultType.CERTIFICATE_EXPIRED;
            case TLS_UNTRUSTED -> ResultType.CERTIFICATE_NOT_TRUSTED;
            case TLS_PROTOCOL_VERSION, TLS_PEER_CLOSED, TLS_HANDSHAKE -> ResultType.VALIDATION_FAILURE;
            // DANE (RFC 7672): the same names dane.failure carries
            case DANE_MISMATCH, DANE_UNUSABLE -> ResultType.TLSA_INVALID;
            case DANE_BOGUS, DANE_LOOKUP_FAILED -> ResultType.DNSSEC_INVALID;
            case DANE_REQUIRED -> ResultType.DANE_REQUIRED;
            // MTA-STS enforce and no MX host in the patterns (RFC 8460 has no narrower type; mtaSts.failure says the same)
            case MTA_STS_NO_MATCHING_MX -> ResultType.VALIDATION_FAILURE;
            // a stall or a drop in the middle of the handshake is a failed negotiation too
            case TIMEOUT, CONNECTION_CLOSED -> f.stage() == Stage.TLS_HANDSHAKE ? ResultType.VALIDATION_FAILURE : null;
            // our own policy said no TLS (the receiver wants it): not a failure of the receiver's TLS
            case TLS_REQUIRED_BY_REMOTE -> null;
            case CONNECTION_REFUSED, CONNECT_TIMEOUT, GARBAGE_REPLY, AUTH_NOT_OFFERED, AUTH_NOT_ENCRYPTED, AUTH_FAILED,
                 REPLY, NULL_MX, NO_SUCH_DOMAIN, NO_ADDRESS, DNS_FAILURE, BUSY, MX_HOST_NO_ADDRESS, POLICY_UNUSABLE,
                 MESSAGE_NOT_7BIT -> null;
        };
    }
}
