package io.postway.delivery.smtp;

import io.postway.delivery.domain.RemoteEndpoint;
import io.postway.delivery.domain.TlsVersions;
import io.postway.delivery.domain.Transcript;
import io.postway.delivery.mailclient.OutgoingMessage;
import io.postway.delivery.mailclient.VertxMailClient;
import io.postway.delivery.tls.ObservingTrustManager;
import io.postway.delivery.tls.PeerCertificateCheck;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.List;

/**
 * One connection's share of a destination's pool: a mail client that keeps at most one connection,
 * configured from the policy, and the {@link SessionTap} that watches it.
 */
final class PooledSession {

    final RemoteEndpoint remote;
    final SessionSettings settings;
    final SessionTap tap;
    private final VertxMailClient client;
    private boolean closed;
    long idleSince = System.nanoTime();

    PooledSession(Vertx vertx, RemoteEndpoint remote, SessionSettings s, PeerCertificateCheck check,
                  Timeouts timeouts, int messagesPerConnection) {
        this.remote = remote;
        this.settings = s;
        this.tap = new SessionTap(vertx, remote.host(), timeouts);
        this.client = new VertxMailClient(vertx, new VertxMailClient.Settings(remote.host(), remote.ip(), remote.port(),
                s.heloName(), s.transport(), TlsVersions.between(s.minVersion(), s.maxVersion()),
                new ObservingTrustManager(check, remote.host(), s.mode(), s.verify(), tap, s.dane().authentication(remote.host())),
                s.logsIn() ? new VertxMailClient.Login(s.authMethod(), s.username(), s.password()) : null, timeouts.connect(), timeouts.command(), messagesPerConnection), tap);
    }

    /** One send; the future holds the recipients accepted. The tap ends it when the connection is gone mid-dialogue. */
    Future<List<String>> send(OutgoingMessage message, Transcript transcript) {
        Promise<List<String>> done = Promise.promise();
        tap.begin(transcript, done::tryFail);
        client.send(message).onComplete(ar -> {
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
