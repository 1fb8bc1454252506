package io.postway.delivery.infra;

import io.postway.delivery.domain.SessionFailure;
import io.postway.delivery.domain.SmtpReply;
import io.postway.delivery.domain.Stage;

/** A session step that failed, carried through the Vert.x futures to where outcomes are decided. */
final class SmtpFailureException extends RuntimeException {

    final SessionFailure.Kind kind;
    final Stage stage;
    final SmtpReply reply;
    final String detail;
    // filled in by the opener: what was known when the session failed
    TlsReport tls;
    io.postway.delivery.domain.Transcript transcript;
    String remoteIp;

    SmtpFailureException(SessionFailure.Kind kind, Stage stage, SmtpReply reply, String detail) {
        super(kind + " at " + stage + (detail == null ? "" : ": " + detail), null, false, false);
        this.kind = kind;
        this.stage = stage;
        this.reply = reply;
        this.detail = detail;
    }

    boolean isTlsHandshakeFailure() {
        return kind == SessionFailure.Kind.TLS_PROTOCOL_VERSION || kind == SessionFailure.Kind.TLS_PEER_CLOSED
                || kind == SessionFailure.Kind.TLS_HANDSHAKE;
    }

    static SmtpFailureException reply(Stage stage, SmtpReply reply) {
        return new SmtpFailureException(SessionFailure.Kind.REPLY, stage, reply, null);
    }

    SessionFailure toFailure(String host) {
        return new SessionFailure(kind, stage, host, reply, detail);
    }
}
