package io.postway.delivery.smtp;

import io.postway.contract.event.DeliveryEvent;
import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.policy.TlsMode;
import io.postway.contract.tlsrpt.ResultType;
import io.postway.delivery.domain.Classification;
import io.postway.delivery.domain.DeliveryJob;
import io.postway.delivery.domain.Diagnosis;
import io.postway.delivery.domain.ErrorChain;
import io.postway.delivery.domain.FailureTypes;
import io.postway.delivery.domain.Outcome;
import io.postway.delivery.domain.RecipientResult;
import io.postway.delivery.domain.RemoteEndpoint;
import io.postway.delivery.domain.SessionFailure.Kind;
import io.postway.delivery.domain.SessionFailure;
import io.postway.delivery.domain.SmtpReply;
import io.postway.delivery.domain.Stage;
import io.postway.delivery.domain.TlsReport;
import io.postway.delivery.domain.Transcript;
import io.postway.delivery.mailclient.VertxMailClient;
import io.postway.delivery.tls.CertificateVerdict;
import io.postway.delivery.tls.HandshakeFailures;
import io.vertx.core.AsyncResult;

import javax.net.ssl.SSLException;
import java.util.List;
import java.util.Locale;

/**
 * The one failure policy, like Postfix's smtp_trouble.c: what went wrong is read once — from the
 * client's error and what the {@link SessionTap} saw — into a {@link SessionFailure}, and that is
 * turned once into each recipient's outcome (status, stage, reply, diagnosis) and into what the
 * destination loop does next.
 */
final class SmtpTrouble {

    /** What the destination loop does after a session. */
    enum Next {
        /** The results are final. */
        DONE,
        /** A connection or greeting failure: the next address or MX host (RFC 5321 5.1); these results stand if none is left. */
        NEXT_ADDRESS,
        /** The server had dropped the idle pooled connection before our MAIL: not a verdict, connect again. */
        RECONNECT,
        /** The handshake failed and the policy allows {@code fallbackToPlaintext}: the same address without TLS. */
        PLAINTEXT
    }

    record Verdict(Next next, List<RecipientResult> results, Transcript transcript) {
    }

    /** What a session knew when it ended; every recipient's result reports it. */
    record SessionFacts(RemoteEndpoint remote, TlsReport tls, boolean fellBack, List<String> transcript, DeliveryEvent.Dane dane) {
        static final SessionFacts NONE = new SessionFacts(null, TlsReport.NONE, false, List.of(), DeliveryEvent.Dane.NOT_CHECKED);
    }

    private static final int STALE_RETRIES = 3;

    private SmtpTrouble() {
    }

    /** The verdict on one send. Reads the tap: call it before the session goes back to the pool (the next send resets the tap). */
    static Verdict afterSend(JobState job, PooledSession session, Transcript tr, AsyncResult<List<String>> sent) {
        SessionTap tap = session.tap;
        RemoteEndpoint remote = session.remote.withIp(tap.remoteIp() != null ? tap.remoteIp() : session.remote.ip());
        TlsReport tls = tap.tls();
        EffectivePolicy p = job.job().policy();
        CertificateVerdict judged = tap.verdict();
        DeliveryEvent.Dane dane = job.session().dane().report(judged == null ? null : judged.daneMatched());
        if (sent.succeeded()) {
            SessionFacts facts = new SessionFacts(remote, tls, job.fellBack(), tr.lines(), dane);
            String delivered = Diagnosis.delivered(remote.host(), remote.via().name(),
                    new Diagnosis.TlsSummary(tls.used(), tls.protocol(), tls.cipher(), tls.verified()), job.fellBack());
            SessionFailure unanswered = SessionFailure.of(Kind.CONNECTION_CLOSED, Stage.RCPT, remote.host(), "no reply recorded");
            List<String> accepted = sent.result();
            return new Verdict(Next.DONE, job.job().recipients().stream()
                    .map(r -> accepted.contains(r)
                            ? new RecipientResult(r, Outcome.DELIVERED, Stage.DONE, tap.lastReply(), delivered, null, facts.remote(),
                                    facts.tls(), facts.fellBack(), facts.transcript(), facts.dane())
                            : refusedOr(r, unanswered, tap, p, facts))
                    .toList(), tr);
        }
        SessionFailure f = classify(sent.cause(), tap, session.settings, remote.host());
        if (f.kind() == Kind.CONNECTION_CLOSED && f.stage() == Stage.MAIL && tap.wasReused() && job.staleRetries() < STALE_RETRIES) {
            return new Verdict(Next.RECONNECT, List.of(), tr);
        }
        if (f.isTlsHandshakeFailure() && !job.fellBack() && job.session().fallbackToPlaintext()) {
            tr.note("TLS handshake failed (" + f.kind() + "); retrying without TLS (fallbackToPlaintext)");
            if (job.session().logsIn()) {
                // the plaintext retry would log in without TLS, which only a policy with TLS DISABLED allows
                SessionFailure unencrypted = SessionFailure.of(Kind.AUTH_NOT_ENCRYPTED, Stage.AUTH, session.remote.host(), null);
                return new Verdict(Next.DONE, allFailed(job.job(), unencrypted,
                        new SessionFacts(session.remote, TlsReport.NONE, true, tr.lines(), dane)), tr);
            }
            return new Verdict(Next.PLAINTEXT, List.of(), tr);
        }
        SessionFacts facts = new SessionFacts(remote, tls, job.fellBack(), tr.lines(), dane);
        return new Verdict(nextAfter(f), job.job().recipients().stream().map(r -> refusedOr(r, f, tap, p, facts)).toList(), tr);
    }

    /** A failure before any dialogue (no free session, no address): it applies to every recipient alike. */
    static Verdict before(JobState job, SessionFailure f, RemoteEndpoint remote) {
        return new Verdict(nextAfter(f), allFailed(job.job(), f,
                new SessionFacts(remote, TlsReport.NONE, job.fellBack(), job.transcriptBefore(), job.session().dane().report(null))), null);
    }

    /** A failure of the whole job before any destination was tried (unroutable, unusable policy, message). */
    static List<RecipientResult> allFailed(DeliveryJob job, SessionFailure f) {
        return allFailed(job, f, SessionFacts.NONE);
    }

    private static Next nextAfter(SessionFailure f) {
        return f.triesNextHost() ? Next.NEXT_ADDRESS : Next.DONE;
    }

    private static List<RecipientResult> allFailed(DeliveryJob job, SessionFailure f, SessionFacts facts) {
        return job.recipients().stream().map(r -> result(r, f, job.policy(), facts)).toList();
    }

    /**
     * A recipient refused at RCPT gets its own reply; otherwise the session's failure applies to it.
     * After a refused MAIL the RCPT replies only repeat that refusal (pipelined, they came anyway).
     */
    private static RecipientResult refusedOr(String recipient, SessionFailure sessionFailure, SessionTap tap, EffectivePolicy p,
                                             SessionFacts facts) {
        SmtpReply rcpt = tap.rcptReply(recipient);
        boolean ownReply = rcpt != null && !rcpt.positive() && sessionFailure.stage().compareTo(Stage.RCPT) >= 0;
        return result(recipient, ownReply ? SessionFailure.reply(Stage.RCPT, facts.remote().host(), rcpt) : sessionFailure, p, facts);
    }

    /** THE conversion of a failure into a recipient's outcome and diagnosis. */
    private static RecipientResult result(String recipient, SessionFailure f, EffectivePolicy p, SessionFacts facts) {
        String diagnosis = Diagnosis.of(f, p.tls(), p.auth());
        // the policy failures (MTA-STS) join here once delivery checks them
        ResultType failureType = FailureTypes.of(f, null, facts.dane().failure());
        return new RecipientResult(recipient, Classification.of(f), f.stage(), f.reply(), diagnosis, failureType, facts.remote(), facts.tls(),
                facts.fellBack(), facts.transcript(), facts.dane());
    }

    /**
     * Why a send failed. The client's exception alone says too little (often just "socket was closed
     * unexpected"); what the tap saw of the dialogue says at which step, with which reply, and why.
     */
    static SessionFailure classify(Throwable error, SessionTap tap, SessionSettings s, String host) {
        String detail = ErrorChain.describe(error);
        CertificateVerdict verdict = tap.verdict();
        if (verdict != null && verdict.refusedAs() != null) {
            return SessionFailure.of(verdict.refusedAs(), Stage.TLS_HANDSHAKE, host, verdict.detail());
        }
        if (tap.timedOut() != null) {
            return SessionFailure.of(Kind.TIMEOUT, tap.timedOut(), host, tap.timeoutText());
        }
        if (!tap.wasConnected()) {
            return connectFailure(error, s.implicit() && s.tryTls(), host);
        }
        Stage stage = tap.failedStage();
        if (tap.garbage() != null) {
            return SessionFailure.of(Kind.GARBAGE_REPLY, stage, host, "\"" + shorten(tap.garbage()) + "\"");
        }
        if (tap.starttlsRefusal() != null) {
            return new SessionFailure(Kind.STARTTLS_REFUSED, Stage.STARTTLS, host, tap.starttlsRefusal(), null);
        }
        if (stage == Stage.TLS_HANDSHAKE || error instanceof SSLException || error.getCause() instanceof SSLException) {
            return HandshakeFailures.classify(error, tap.closedByPeer(), host);
        }
        switch (VertxMailClient.refusalOf(error)) {
            case STARTTLS_NOT_OFFERED -> {
                // OPPORTUNISTIC with a login: STARTTLS was insisted on only so as not to log in without it
                // (SessionSettings.transport); under REQUIRED the policy itself insisted
                return s.mode() == TlsMode.REQUIRED
                        ? SessionFailure.of(Kind.STARTTLS_NOT_OFFERED, Stage.STARTTLS, host, null)
                        : SessionFailure.of(Kind.AUTH_NOT_ENCRYPTED, Stage.AUTH, host, null);
            }
            case MESSAGE_TOO_LARGE -> {
                // the client does not send MAIL at all; the server's own answer would be this (RFC 1870 6.1)
                return SessionFailure.reply(Stage.MAIL, host, new SmtpReply(552, "5.3.4", List.of(
                        "5.3.4 the message is larger than the SIZE " + tap.sizeLimit() + " the server announced; not sent")));
            }
            case NO_AUTH_METHOD -> {
                return SessionFailure.of(Kind.AUTH_NOT_OFFERED, Stage.AUTH, host, tap.tls().used() ? null : "before TLS");
            }
            default -> {
            }
        }
        SmtpReply reply = tap.refusal();
        if (reply != null) {
            return switch (tap.refusalStage()) {
                case AUTH -> new SessionFailure(Kind.AUTH_FAILED, Stage.AUTH, host, reply, null);
                case MAIL -> Classification.isTlsRequiredByRemote(reply, tap.tls().used())
                        ? new SessionFailure(Kind.TLS_REQUIRED_BY_REMOTE, Stage.MAIL, host, reply, null)
                        : SessionFailure.reply(Stage.MAIL, host, reply);
                default -> SessionFailure.reply(tap.refusalStage(), host, reply);
            };
        }
        if (VertxMailClient.refusalOf(error) == VertxMailClient.Refusal.NO_RECIPIENT_ACCEPTED) {
            // without PIPELINING the client stops before DATA; each recipient's own reply is in the tap
            return SessionFailure.reply(Stage.RCPT, host, tap.lastReply());
        }
        return SessionFailure.of(Kind.CONNECTION_CLOSED, stage, host, tap.closedByPeer() ? null : detail);
    }

    private static SessionFailure connectFailure(Throwable t, boolean implicitTls, String host) {
        String detail = ErrorChain.describe(t);
        String lower = detail.toLowerCase(Locale.ROOT);
        if (t instanceof SSLException || detail.contains("SSL")) {
            return HandshakeFailures.classify(t, false, host);
        }
        if (t instanceof io.netty.channel.ConnectTimeoutException || lower.contains("timed out")) {
            return SessionFailure.of(Kind.CONNECT_TIMEOUT, Stage.CONNECT, host, detail);
        }
        if (implicitTls && lower.contains("closed")) {
            return SessionFailure.of(Kind.TLS_PEER_CLOSED, Stage.TLS_HANDSHAKE, host, detail);
        }
        return SessionFailure.of(Kind.CONNECTION_REFUSED, Stage.CONNECT, host, detail);
    }

    private static String shorten(String line) {
        return line.length() > 80 ? line.substring(0, 80) + "..." : line;
    }
}
