package io.postway.delivery.infra;

import io.postway.delivery.domain.AuthMethod;
import io.postway.delivery.domain.SessionFailure.Kind;
import io.postway.delivery.domain.SmtpReply;
import io.postway.delivery.domain.Stage;
import io.postway.delivery.domain.TlsMode;
import io.postway.delivery.domain.TlsVerify;
import io.postway.delivery.domain.Transcript;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.SocketAddress;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Opens a session the way the policy says: connect, greeting, EHLO, STARTTLS (or implicit TLS),
 * the certificate check, EHLO again, AUTH. Credentials go out only over TLS, unless the policy
 * itself disables TLS. Every failure carries its stage, the TLS seen so far and the transcript.
 */
final class SmtpSessionOpener {

    private final Vertx vertx;
    private final TlsClients clients;
    private final PeerCertificateCheck certificateCheck;
    private final Timeouts timeouts;

    SmtpSessionOpener(Vertx vertx, TlsClients clients, PeerCertificateCheck certificateCheck, Timeouts timeouts) {
        this.vertx = vertx;
        this.clients = clients;
        this.certificateCheck = certificateCheck;
        this.timeouts = timeouts;
    }

    /** Holds the state of one opening attempt so failures can report what was already known. */
    private final class Attempt {
        final RemoteEndpoint remote;
        final SessionSettings s;
        final Transcript transcript = new Transcript();
        SmtpConnection conn;
        Set<String> caps = Set.of();
        TlsReport tls = TlsReport.NONE;

        Attempt(RemoteEndpoint remote, SessionSettings s) {
            this.remote = remote;
            this.s = s;
        }

        <T> Future<T> fail(SmtpFailureException e) {
            e.tls = tls;
            e.transcript = transcript;
            e.remoteIp = conn != null ? conn.remoteIp() : remote.ip();
            if (conn != null) {
                if (e.kind == Kind.CONNECTION_CLOSED || e.kind == Kind.TIMEOUT || e.kind == Kind.GARBAGE_REPLY
                        || e.isTlsHandshakeFailure()) {
                    conn.close();
                } else {
                    conn.quit();
                }
            }
            return Future.failedFuture(e);
        }

        <T> Future<T> fail(Throwable t, Stage stage) {
            if (t instanceof SmtpFailureException e) {
                return fail(e);
            }
            return fail(new SmtpFailureException(Kind.CONNECTION_CLOSED, stage, null, TlsFailures.describe(t)));
        }
    }

    Future<SmtpSession> open(RemoteEndpoint remote, SessionSettings s) {
        Attempt a = new Attempt(remote, s);
        NetClient client = clients.client(s.minVersion(), s.maxVersion(), s.implicit() && s.tryTls());
        String target = remote.ip() != null ? remote.ip() : remote.host();
        a.transcript.note("connecting to " + remote.host() + " " + target + ":" + remote.port()
                + (s.implicit() && s.tryTls() ? " (implicit TLS)" : ""));
        return client.connect(SocketAddress.inetSocketAddress(remote.port(), target), remote.host())
                .recover(t -> a.fail(connectFailure(t, s.implicit() && s.tryTls())))
                .compose(socket -> {
                    a.conn = new SmtpConnection(vertx, vertx.getOrCreateContext(), socket, a.transcript);
                    if (socket.isSsl()) {
                        return afterHandshake(a).compose(v -> a.conn.expectReply(Stage.GREETING, timeouts.greeting()));
                    }
                    return a.conn.expectReply(Stage.GREETING, timeouts.greeting());
                })
                .compose(greeting -> greeting.positive() ? ehlo(a)
                        : a.fail(SmtpFailureException.reply(Stage.GREETING, greeting)))
                .compose(v -> startTls(a))
                .compose(v -> authenticate(a))
                .map(v -> new SmtpSession(a.conn, remote.withIp(a.conn.remoteIp()), a.caps, a.tls, a.transcript))
                .recover(t -> t instanceof SmtpFailureException e && e.transcript != null
                        ? Future.failedFuture(e) : a.fail(t, Stage.CONNECT));
    }

    private SmtpFailureException connectFailure(Throwable t, boolean implicitTls) {
        String detail = TlsFailures.describe(t);
        if (t instanceof javax.net.ssl.SSLException || detail.contains("SSL")) {
            return TlsFailures.classify(t, false);
        }
        if (t instanceof ConnectException && !(t instanceof io.netty.channel.ConnectTimeoutException)
                && detail.toLowerCase(Locale.ROOT).contains("refused")) {
            return new SmtpFailureException(Kind.CONNECTION_REFUSED, Stage.CONNECT, null, detail);
        }
        if (t instanceof io.netty.channel.ConnectTimeoutException || detail.toLowerCase(Locale.ROOT).contains("timed out")) {
            return new SmtpFailureException(Kind.CONNECT_TIMEOUT, Stage.CONNECT, null, detail);
        }
        if (implicitTls && detail.toLowerCase(Locale.ROOT).contains("closed")) {
            return new SmtpFailureException(Kind.TLS_PEER_CLOSED, Stage.TLS_HANDSHAKE, null, detail);
        }
        return new SmtpFailureException(Kind.CONNECTION_REFUSED, Stage.CONNECT, null, detail);
    }

    private Future<Void> ehlo(Attempt a) {
        return a.conn.command("EHLO " + a.s.heloName(), Stage.EHLO, timeouts.command()).compose(r -> {
            if (r.positive()) {
                a.caps = capabilities(r);
                return Future.succeededFuture();
            }
            if (r.permanentFailure()) {
                // RFC 5321 3.2: a server that does not speak ESMTP still answers HELO
                return a.conn.command("HELO " + a.s.heloName(), Stage.EHLO, timeouts.command()).compose(h -> {
                    if (h.positive()) {
                        a.caps = Set.of();
                        return Future.succeededFuture();
                    }
                    return a.fail(SmtpFailureException.reply(Stage.EHLO, h));
                });
            }
            return a.fail(SmtpFailureException.reply(Stage.EHLO, r));
        });
    }

    static Set<String> capabilities(SmtpReply ehlo) {
        Set<String> caps = new LinkedHashSet<>();
        for (int i = 1; i < ehlo.lines().size(); i++) {
            caps.add(ehlo.lines().get(i).strip().toUpperCase(Locale.ROOT));
        }
        return caps;
    }

    private Future<Void> startTls(Attempt a) {
        if (a.conn.isSsl() || !a.s.tryTls() || a.s.mode() == TlsMode.DISABLED) {
            return Future.succeededFuture();
        }
        if (!a.caps.contains("STARTTLS")) {
            if (a.s.mode() == TlsMode.REQUIRED) {
                return a.fail(new SmtpFailureException(Kind.STARTTLS_NOT_OFFERED, Stage.STARTTLS, null, null));
            }
            return Future.succeededFuture();
        }
        return a.conn.command("STARTTLS", Stage.STARTTLS, timeouts.command()).compose(r -> {
            if (r.code() != 220) {
                if (a.s.mode() == TlsMode.REQUIRED) {
                    return a.fail(new SmtpFailureException(Kind.STARTTLS_REFUSED, Stage.STARTTLS, r, null));
                }
                return Future.succeededFuture();
            }
            return a.conn.upgradeToTls(a.remote.host(), timeouts.command())
                    .recover(t -> a.fail(t, Stage.TLS_HANDSHAKE))
                    .compose(v -> afterHandshake(a))
                    .compose(v -> ehlo(a));
        });
    }

    /** Reads the negotiated session and checks the certificate; REQUIRED stops here when it does not pass. */
    private Future<Void> afterHandshake(Attempt a) {
        SSLSession session = a.conn.sslSession();
        X509Certificate[] chain = new X509Certificate[0];
        try {
            Certificate[] peer = session.getPeerCertificates();
            chain = Arrays.stream(peer).filter(X509Certificate.class::isInstance).map(X509Certificate.class::cast)
                    .toArray(X509Certificate[]::new);
        } catch (SSLPeerUnverifiedException e) {
            // anonymous cipher: nothing to check, verified stays false
        }
        String chainProblem = certificateCheck.chainProblem(chain);
        boolean nameOk = chain.length > 0 && PeerCertificateCheck.namesHost(chain[0], a.remote.host());
        boolean verified = switch (a.s.verify() == null ? TlsVerify.NONE : a.s.verify()) {
            case CA -> chainProblem == null;
            case HOSTNAME, NONE -> chainProblem == null && nameOk;
        };
        X509Certificate leaf = chain.length > 0 ? chain[0] : null;
        a.tls = new TlsReport(true, session.getProtocol(), session.getCipherSuite(), verified,
                leaf == null ? null : leaf.getSubjectX500Principal().getName(),
                leaf == null ? null : leaf.getIssuerX500Principal().getName(),
                leaf == null ? null : leaf.getNotAfter().toInstant());
        a.transcript.note("TLS " + session.getProtocol() + " " + session.getCipherSuite()
                + (leaf == null ? "" : " peer " + a.tls.peerSubject()) + (verified ? " verified" : " not verified"));
        if (a.s.mode() == TlsMode.REQUIRED && a.s.verify() != null && a.s.verify() != TlsVerify.NONE) {
            if (chainProblem != null) {
                return a.fail(new SmtpFailureException(Kind.TLS_UNTRUSTED, Stage.TLS_HANDSHAKE, null, chainProblem));
            }
            if (a.s.verify() == TlsVerify.HOSTNAME && !nameOk) {
                return a.fail(new SmtpFailureException(Kind.TLS_NAME_MISMATCH, Stage.TLS_HANDSHAKE, null,
                        leaf == null ? "nothing" : PeerCertificateCheck.describeNames(leaf)));
            }
        }
        return Future.succeededFuture();
    }

    private Future<Void> authenticate(Attempt a) {
        if (!a.s.authEnabled()) {
            return Future.succeededFuture();
        }
        if (!a.conn.isSsl() && a.s.mode() != TlsMode.DISABLED) {
            return a.fail(new SmtpFailureException(Kind.AUTH_NOT_ENCRYPTED, Stage.AUTH, null, null));
        }
        String method = a.s.authMethod().name();
        boolean offered = a.caps.stream().anyMatch(c -> (c.startsWith("AUTH ") || c.startsWith("AUTH="))
                && Arrays.asList(c.substring(5).split("\\s+")).contains(method));
        if (!offered) {
            return a.fail(new SmtpFailureException(Kind.AUTH_NOT_OFFERED, Stage.AUTH, null,
                    a.conn.isSsl() ? null : "before TLS"));
        }
        Future<SmtpReply> result;
        if (a.s.authMethod() == AuthMethod.PLAIN) {
            String token = b64("\0" + a.s.username() + "\0" + a.s.password());
            result = a.conn.secretCommand("AUTH PLAIN " + token, "AUTH PLAIN ", Stage.AUTH, timeouts.command());
        } else {
            result = a.conn.command("AUTH LOGIN", Stage.AUTH, timeouts.command())
                    .compose(r -> r.code() != 334 ? Future.succeededFuture(r)
                            : a.conn.secretCommand(b64(a.s.username()), "", Stage.AUTH, timeouts.command()))
                    .compose(r -> r.code() != 334 ? Future.succeededFuture(r)
                            : a.conn.secretCommand(b64(a.s.password()), "", Stage.AUTH, timeouts.command()));
        }
        return result.compose(r -> r.code() == 235 ? Future.succeededFuture()
                : a.fail(new SmtpFailureException(Kind.AUTH_FAILED, Stage.AUTH, r, null)));
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
