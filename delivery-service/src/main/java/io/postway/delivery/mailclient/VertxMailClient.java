package io.postway.delivery.mailclient;

import io.postway.contract.policy.AuthMethod;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrustOptions;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.StartTLSOptions;

import javax.net.ssl.X509TrustManager;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The one class that knows how {@code io.vertx:vertx-mail-client} {@value #PINNED_VERSION} behaves
 * beyond its documentation, so that an upgrade fails {@code VertxMailClientPinTest} rather than
 * delivery:
 * <ul>
 *   <li>its pool constructor <em>mutates</em> the {@link MailConfig} it is given (it rewrites the
 *       hostname-verification algorithm), so every client is built from a fresh copy
 *       ({@code new MailConfig(config)});</li>
 *   <li>it <em>inverts</em> that setting: a non-empty algorithm ({@code "HTTPS"}) given to it switches
 *       Netty's own name check off — wanted, because delivery's trust manager checks the MX name,
 *       not the address connected to;</li>
 *   <li>it says why a send failed only in message strings: {@link #refusalOf} maps the ones delivery
 *       acts on;</li>
 *   <li>a null reverse path goes out as {@code MAIL FROM:<>} only when the bounce address is the
 *       literal {@code "<>"} ({@link OutgoingMessage});</li>
 *   <li>it connects and writes only through the {@code Vertx} it is created with, which is how
 *       {@link TappedVertx} watches the dialogue and swaps each message's body in ({@link BodySwap}):
 *       it writes its text right after the header block as one {@code write(String)} per line,
 *       and declares in {@code MAIL FROM ... SIZE=} a size computed from that text;</li>
 *   <li>with STARTTLS {@code OPTIONAL} it logs in over plaintext when the server offers no
 *       STARTTLS: a login asks for {@code REQUIRED} ({@link #starttls});</li>
 *   <li>it never answers a send whose connection closed before the greeting: the session's tap,
 *       which alone can tell a close mid-dialogue from the one after QUIT, ends such a send.</li>
 * </ul>
 * Each instance holds at most one connection, so everything its listener sees belongs to the send
 * in progress; it reconnects by itself after {@code messagesPerConnection} messages or a close and
 * sends RSET before reusing a connection (which {@link SkippedResets} keeps unsent after a clean transaction).
 */
public final class VertxMailClient {

    /** The version every quirk above was established on. */
    public static final String PINNED_VERSION = "4.5.27";

    /** How a session is to be protected; {@link #config} turns it into the client's TLS and STARTTLS settings. */
    public enum Transport {
        /** No TLS at all: never STARTTLS. */
        PLAINTEXT,
        /** STARTTLS when the server offers it, else plaintext (a session that logs in never asks for it: smtp/SessionSettings). */
        STARTTLS_WHEN_OFFERED,
        /** STARTTLS or nothing: the client refuses the send when the server does not offer it. */
        STARTTLS_REQUIRED,
        /** TLS from the first byte (port 465). */
        IMPLICIT_TLS
    }

    /** Why the client refused or stopped a send by itself, when it says so only in its message. */
    public enum Refusal {
        /** STARTTLS REQUIRED but the server's EHLO does not offer it: nothing was sent. */
        STARTTLS_NOT_OFFERED,
        /** The message exceeds the SIZE the server announced: the client does not send MAIL. */
        MESSAGE_TOO_LARGE,
        /** Login required but the server offers none of the allowed AUTH methods (yet). */
        NO_AUTH_METHOD,
        /** Every RCPT was refused (without PIPELINING the client stops before DATA). */
        NO_RECIPIENT_ACCEPTED,
        /** Anything else: the dialogue itself (seen by the listener) says what happened. */
        OTHER
    }

    /**
     * One session's connection settings. {@code address} is what to connect to (null: resolve
     * {@code host}); {@code host} is also the TLS server name and the name the trust manager checks.
     * {@code login} is null for a session that does not log in.
     */
    public record Settings(String host, String address, int port, String heloName, Transport transport,
                           List<String> protocols, X509TrustManager trust, Login login,
                           Duration connectTimeout, Duration handshakeTimeout, int messagesPerConnection) {

        @Override
        public String toString() {
            // never the password, not even through a debugger's toString
            return "Settings[" + host + " " + address + ":" + port + " " + transport + " " + protocols + " "
                    + (login == null ? "no login" : login.method()) + "]";
        }
    }

    /** The credentials a session logs in with (whether it logs in at all is the policy's, smtp/SessionSettings). */
    public record Login(AuthMethod method, String username, String password) {

        @Override
        public String toString() {
            return "Login[" + method + " " + username + "]";
        }
    }

    private final MailClient client;
    private final BodySwap bodies = new BodySwap();

    public VertxMailClient(Vertx vertx, Settings s, WireListener listener) {
        SocketAddress target = SocketAddress.inetSocketAddress(s.port(), s.address() != null ? s.address() : s.host());
        // a copy: the client rewrites the config it is given
        this.client = MailClient.create(TappedVertx.of(vertx, target, s.host(), listener, bodies), new MailConfig(config(s)));
    }

    static MailConfig config(Settings s) {
        MailConfig config = new MailConfig()
                .setHostname(s.host())
                .setPort(s.port())
                .setOwnHostname(s.heloName())
                .setMaxPoolSize(1)
                .setKeepAlive(true)
                .setMaxMailsPerConnection(Math.max(1, s.messagesPerConnection()))
                .setPipelining(true)
                // rejected recipients do not stop the others; their replies are read by the listener
                .setAllowRcptErrors(true)
                .setSsl(s.transport() == Transport.IMPLICIT_TLS)
                .setStarttls(starttls(s))
                .setEnabledSecureTransportProtocols(new LinkedHashSet<>(s.protocols()))
                .setTrustOptions(TrustOptions.wrap(s.trust()))
                // inverted in 4.5.27: "HTTPS" here switches Netty's own name check off, leaving the
                // name to the trust manager, which checks it against the MX name, not the IP
                .setHostnameVerificationAlgorithm("HTTPS")
                .setConnectTimeout((int) s.connectTimeout().toMillis())
                .setSslHandshakeTimeout(s.handshakeTimeout().toMillis())
                .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
                .setTcpNoDelay(true);
        if (s.login() != null) {
            config.setLogin(LoginOption.REQUIRED)
                    .setAuthMethods(s.login().method().name())
                    .setUsername(s.login().username())
                    .setPassword(s.login().password());
        } else {
            config.setLogin(LoginOption.DISABLED);
        }
        return config;
    }

    /**
     * Each transport as the client's option. With {@code OPTIONAL} and a login the client would log
     * in over plaintext when the server offers no STARTTLS (pinned by VertxMailClientPinTest), which
     * is why a session that logs in never asks for {@link Transport#STARTTLS_WHEN_OFFERED}.
     */
    private static StartTLSOptions starttls(Settings s) {
        return switch (s.transport()) {
            case PLAINTEXT, IMPLICIT_TLS -> StartTLSOptions.DISABLED;
            case STARTTLS_REQUIRED -> StartTLSOptions.REQUIRED;
            case STARTTLS_WHEN_OFFERED -> StartTLSOptions.OPTIONAL;
        };
    }

    /** Sends one message; the future holds the recipients the server accepted. */
    public Future<List<String>> send(OutgoingMessage message) {
        String standIn = bodies.register(message);
        return client.sendMail(message.mail(standIn))
                .onComplete(ar -> bodies.done(standIn))
                .map(result -> result.getRecipients());
    }

    public void close() {
        client.close();
    }

    /** The client's own reason for a failed send, from its message (4.5.27's wording). */
    public static Refusal refusalOf(Throwable error) {
        String message = String.valueOf(error.getMessage());
        if (message.startsWith("STARTTLS required but not supported")) {
            return Refusal.STARTTLS_NOT_OFFERED;
        }
        if (message.startsWith("message exceeds allowed size limit")) {
            return Refusal.MESSAGE_TOO_LARGE;
        }
        if (message.startsWith("login is required, but no allowed AUTH methods")) {
            return Refusal.NO_AUTH_METHOD;
        }
        if (message.startsWith("no recipient addresses were accepted")) {
            return Refusal.NO_RECIPIENT_ACCEPTED;
        }
        return Refusal.OTHER;
    }
}
