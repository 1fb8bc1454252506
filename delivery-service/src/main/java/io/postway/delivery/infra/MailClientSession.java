package io.postway.delivery.infra;

import io.postway.contract.policy.TlsMode;
import io.postway.delivery.domain.TlsVersions;
import io.postway.delivery.domain.Transcript;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrustOptions;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.MailResult;
import io.vertx.ext.mail.StartTLSOptions;

import java.security.Security;
import java.util.LinkedHashSet;
import java.util.concurrent.TimeUnit;

/**
 * One connection's share of a destination's pool: a Vert.x {@link MailClient} that keeps at most
 * one connection (so everything its {@link SessionTap} sees belongs to the send in progress),
 * configured from the policy. The client reconnects by itself after its connection carried
 * {@code messagesPerConnection} messages or was closed, and resets (RSET) before reusing it.
 */
final class MailClientSession {

    final RemoteEndpoint remote;
    final SessionSettings settings;
    final SessionTap tap;
    private final MailClient client;
    private boolean closed;
    long idleSince = System.nanoTime();

    MailClientSession(Vertx vertx, RemoteEndpoint remote, SessionSettings s, PeerCertificateCheck check,
                      Timeouts timeouts, int messagesPerConnection) {
        this.remote = remote;
        this.settings = s;
        this.tap = new SessionTap(vertx, remote.host(), timeouts);
        boolean implicitTls = s.implicit() && s.tryTls();
        MailConfig config = new MailConfig()
                .setHostname(remote.host())
                .setPort(remote.port())
                .setOwnHostname(s.heloName())
                .setMaxPoolSize(1)
                .setKeepAlive(true)
                .setMaxMailsPerConnection(Math.max(1, messagesPerConnection))
                .setPipelining(true)
                // rejected recipients do not stop the others; their replies are read from the tap
                .setAllowRcptErrors(true)
                .setSsl(implicitTls)
                .setStarttls(starttls(s))
                .setEnabledSecureTransportProtocols(new LinkedHashSet<>(TlsVersions.between(s.minVersion(), s.maxVersion())))
                .setTrustOptions(TrustOptions.wrap(new ObservingTrustManager(check, remote.host(), s.mode(), s.verify(), tap)))
                // 4.5.27 inverts this setting: "HTTPS" given here switches Netty's own name check off,
                // leaving the name to ObservingTrustManager, which checks it against the MX name, not the IP
                .setHostnameVerificationAlgorithm("HTTPS")
                .setConnectTimeout((int) timeouts.connect().toMillis())
                .setSslHandshakeTimeout(timeouts.command().toMillis())
                .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
                .setTcpNoDelay(true);
        if (s.authEnabled()) {
            config.setLogin(LoginOption.REQUIRED)
                    .setAuthMethods(s.authMethod().name())
                    .setUsername(s.username())
                    .setPassword(s.password());
        } else {
            config.setLogin(LoginOption.DISABLED);
        }
        SocketAddress target = SocketAddress.inetSocketAddress(remote.port(), remote.ip() != null ? remote.ip() : remote.host());
        this.client = MailClient.create(TappedVertx.of(vertx, target, remote.host(), tap), config);
    }

    /**
     * The JDK disables TLSv1 and TLSv1.1 for everyone (jdk.tls.disabledAlgorithms). Removing them
     * from that list only makes them possible: a session still offers only the versions its
     * mail client was given, i.e. those of the policy. Must run before the JDK's TLS stack first loads.
     */
    static void allowLegacyProtocolsWherePolicyAsks() {
        String disabled = Security.getProperty("jdk.tls.disabledAlgorithms");
        if (disabled == null) {
            return;
        }
        StringBuilder kept = new StringBuilder();
        for (String item : disabled.split(",")) {
            String t = item.strip();
            if (t.equals("TLSv1") || t.equals("TLSv1.1")) {
                continue;
            }
            if (!kept.isEmpty()) {
                kept.append(", ");
            }
            kept.append(t);
        }
        Security.setProperty("jdk.tls.disabledAlgorithms", kept.toString());
    }

    /**
     * OPPORTUNISTIC with a login asks the client for STARTTLS as REQUIRED: the client would
     * otherwise log in over plaintext when the server offers no STARTTLS.
     */
    private static StartTLSOptions starttls(SessionSettings s) {
        if (!s.tryTls() || s.implicit()) {
            return StartTLSOptions.DISABLED;
        }
        if (s.mode() == TlsMode.REQUIRED || s.authEnabled()) {
            return StartTLSOptions.REQUIRED;
        }
        return StartTLSOptions.OPTIONAL;
    }

    Future<MailResult> send(MailMessage message, Transcript transcript) {
        Promise<MailResult> done = Promise.promise();
        tap.begin(transcript, done::tryFail);
        client.sendMail(message).onComplete(ar -> {
            if (ar.succeeded()) {
                done.tryComplete(ar.result());
            } else {
                done.tryFail(ar.cause());
            }
        });
        return done.future();
    }

    synchronized void close() {
        if (!closed) {
            closed = true;
            tap.abort();
            client.close();
        }
    }
}
