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

    SmtpFailureException(SessionFailure.Kind kind, Stage stage, SmtpReply reply, String detail) {
        super(kind + " at " + stage + (detail == null ? "" : ": " + detail), null, false, false);
        this.kind = kind;
        this.stage = stage;
        this.reply = reply;
        this.detail = detail;
    }

    static SmtpFailureException reply(Stage stage, SmtpReply reply) {
        return new SmtpFailureException(SessionFailure.Kind.REPLY, stage, reply, null);
    }

    SessionFailure toFailure(String host) {
        return new SessionFailure(kind, stage, host, reply, detail);
    }
}
