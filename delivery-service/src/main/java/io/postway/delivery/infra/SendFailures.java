package io.postway.delivery.infra;

import io.postway.delivery.domain.Classification;
import io.postway.delivery.domain.SessionFailure.Kind;
import io.postway.delivery.domain.SmtpReply;
import io.postway.delivery.domain.Stage;
import io.postway.contract.policy.TlsMode;

import javax.net.ssl.SSLException;
import java.util.List;
import java.util.Locale;

/**
 * Turns a failed {@code sendMail} into the failure a diagnosis is written for. The mail client's
 * exception alone says too little (often just "socket was closed unexpected"); what the tap saw
 * of the dialogue says at which step, with which reply, and why.
 */
final class SendFailures {

    private SendFailures() {
    }

    static SmtpFailureException classify(Throwable error, SessionTap tap, SessionSettings s) {
        String detail = TlsFailures.describe(error);
        SessionTap.CertificateVerdict verdict = tap.verdict();
        if (verdict != null && verdict.refusedAs() != null) {
            return new SmtpFailureException(verdict.refusedAs(), Stage.TLS_HANDSHAKE, null, verdict.detail());
        }
        if (tap.timedOut() != null) {
            return new SmtpFailureException(Kind.TIMEOUT, tap.timedOut(), null, tap.timeoutText());
        }
        if (!tap.wasConnected()) {
            return connectFailure(error, s.implicit() && s.tryTls());
        }
        Stage stage = tap.failedStage();
        if (tap.garbage() != null) {
            return new SmtpFailureException(Kind.GARBAGE_REPLY, stage, null, "\"" + shorten(tap.garbage()) + "\"");
        }
        if (tap.starttlsRefusal() != null) {
            return new SmtpFailureException(Kind.STARTTLS_REFUSED, Stage.STARTTLS, tap.starttlsRefusal(), null);
        }
        if (stage == Stage.TLS_HANDSHAKE || error instanceof SSLException || error.getCause() instanceof SSLException) {
            return TlsFailures.classify(error, tap.closedByPeer());
        }
        String message = String.valueOf(error.getMessage());
        if (message.startsWith("STARTTLS required but not supported")) {
            return s.mode() == TlsMode.REQUIRED
                    ? new SmtpFailureException(Kind.STARTTLS_NOT_OFFERED, Stage.STARTTLS, null, null)
                    // OPPORTUNISTIC with a login: the client was told to insist on TLS so as not to log in without it
                    : new SmtpFailureException(Kind.AUTH_NOT_ENCRYPTED, Stage.AUTH, null, null);
        }
        if (message.startsWith("message exceeds allowed size limit")) {
            // the client does not send MAIL at all; the server's own answer would be this (RFC 1870 6.1)
            return SmtpFailureException.reply(Stage.MAIL, new SmtpReply(552, "5.3.4", List.of(
                    "5.3.4 the message is larger than the SIZE " + tap.sizeLimit() + " the server announced; not sent")));
        }
        if (message.startsWith("login is required, but no allowed AUTH methods")) {
            return new SmtpFailureException(Kind.AUTH_NOT_OFFERED, Stage.AUTH, null, tap.tls().used() ? null : "before TLS");
        }
        SmtpReply reply = tap.refusal();
        if (reply != null) {
            return switch (tap.refusalStage()) {
                case AUTH -> new SmtpFailureException(Kind.AUTH_FAILED, Stage.AUTH, reply, null);
                case MAIL -> Classification.isTlsRequiredByRemote(reply, tap.tls().used())
                        ? new SmtpFailureException(Kind.TLS_REQUIRED_BY_REMOTE, Stage.MAIL, reply, null)
                        : SmtpFailureException.reply(Stage.MAIL, reply);
                default -> SmtpFailureException.reply(tap.refusalStage(), reply);
            };
        }
        if (message.startsWith("no recipient addresses were accepted")) {
            // without PIPELINING the client stops before DATA; each recipient's own reply is in the tap
            return SmtpFailureException.reply(Stage.RCPT, tap.lastReply());
        }
        return new SmtpFailureException(Kind.CONNECTION_CLOSED, stage, null, tap.closedByPeer() ? null : detail);
    }

    private static SmtpFailureException connectFailure(Throwable t, boolean implicitTls) {
        String detail = TlsFailures.describe(t);
        String lower = detail.toLowerCase(Locale.ROOT);
        if (t instanceof SSLException || detail.contains("SSL")) {
            return TlsFailures.classify(t, false);
        }
        if (t instanceof io.netty.channel.ConnectTimeoutException || lower.contains("timed out")) {
            return new SmtpFailureException(Kind.CONNECT_TIMEOUT, Stage.CONNECT, null, detail);
        }
        if (implicitTls && lower.contains("closed")) {
            return new SmtpFailureException(Kind.TLS_PEER_CLOSED, Stage.TLS_HANDSHAKE, null, detail);
        }
        return new SmtpFailureException(Kind.CONNECTION_REFUSED, Stage.CONNECT, null, detail);
    }

    private static String shorten(String line) {
        return line.length() > 80 ? line.substring(0, 80) + "..." : line;
    }
}
