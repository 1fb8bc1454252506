package io.postway.delivery.domain;

/**
 * Why a session (or one step of it) did not succeed, in terms a diagnosis can be written from.
 *
 * @param host   the remote host as chosen (MX name, smart host, or the domain for DNS failures)
 * @param reply  the SMTP reply, when the failure is one
 * @param detail a short technical detail (exception text, certificate names, timeout)
 */
public record SessionFailure(Kind kind, Stage stage, String host, SmtpReply reply, String detail) {

    public enum Kind {
        CONNECTION_REFUSED, CONNECT_TIMEOUT, CONNECTION_CLOSED, TIMEOUT, GARBAGE_REPLY,
        TLS_PROTOCOL_VERSION, TLS_PEER_CLOSED, TLS_HANDSHAKE, TLS_UNTRUSTED, TLS_NAME_MISMATCH,
        /** The chain would be trusted but a certificate in it is past its notAfter (or not yet valid). */
        TLS_EXPIRED,
        STARTTLS_NOT_OFFERED, STARTTLS_REFUSED, TLS_REQUIRED_BY_REMOTE,
        AUTH_NOT_OFFERED, AUTH_NOT_ENCRYPTED, AUTH_FAILED,
        REPLY, NULL_MX, NO_SUCH_DOMAIN, NO_ADDRESS, DNS_FAILURE, BUSY,
        /** An MX host of the domain has no A/AAAA record (the look-up answered): the next MX host is tried. */
        MX_HOST_NO_ADDRESS,
        /** The job's policy cannot be applied (contradictory TLS settings, a password that does not open). */
        POLICY_UNUSABLE,
        /** The message cannot go out as 7-bit MIME, which the SMTP client requires. */
        MESSAGE_NOT_7BIT,
        /** DANE (RFC 7672): the certificate matches none of the host's usable TLSA records; nothing was sent. */
        DANE_MISMATCH,
        /** DANE: a DNSSEC-bogus answer (MX, address or TLSA): the host is not used. */
        DANE_BOGUS,
        /** DANE: the MX, address or TLSA look-up failed (SERVFAIL, timeout): the host is not used. */
        DANE_LOOKUP_FAILED,
        /** DANE: the rule's tls.dane is REQUIRED and the host has no DNSSEC-secure TLSA records. */
        DANE_REQUIRED,
        /** DANE: the rule's tls.dane is REQUIRED and none of the host's TLSA records is usable for SMTP. */
        DANE_UNUSABLE,
        /** The domain's MTA-STS policy is enforce and none of its MX hosts matches the policy's mx patterns ({@code detail}: the hosts). */
        MTA_STS_NO_MATCHING_MX
    }

    public static SessionFailure of(Kind kind, Stage stage, String host, String detail) {
        return new SessionFailure(kind, stage, host, null, detail);
    }

    public static SessionFailure reply(Stage stage, String host, SmtpReply reply) {
        return new SessionFailure(Kind.REPLY, stage, host, reply, null);
    }

    /** A handshake failure is what {@code fallbackToPlaintext} may answer with a plaintext retry. */
    public boolean isTlsHandshakeFailure() {
        return kind == Kind.TLS_PROTOCOL_VERSION || kind == Kind.TLS_PEER_CLOSED || kind == Kind.TLS_HANDSHAKE;
    }

    /** Connection and greeting failures make delivery try the next MX host (RFC 5321 5.1). */
    public boolean triesNextHost() {
        return stage == Stage.CONNECT || stage == Stage.GREETING;
    }
}
