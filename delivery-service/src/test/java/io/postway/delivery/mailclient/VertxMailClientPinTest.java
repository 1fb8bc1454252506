package io.postway.delivery.mailclient;

import io.postway.contract.policy.AuthMethod;
import io.postway.delivery.domain.ErrorChain;
import io.postway.delivery.faults.FaultSmtpServer;
import io.postway.delivery.mailclient.VertxMailClient.Refusal;
import io.postway.delivery.mailclient.VertxMailClient.Transport;
import io.postway.delivery.smtp.Peers;
import io.postway.delivery.tls.LegacyTlsProtocols;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.TrustOptions;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.StartTLSOptions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLSession;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pins every behaviour of vertx-mail-client {@value VertxMailClient#PINNED_VERSION} that delivery
 * relies on beyond its documentation (see {@link VertxMailClient}), against the real client, the
 * Postfix peers and the fault server. An upgrade that changes any of them fails here, loudly.
 */
class VertxMailClientPinTest {

    static {
        // the JDK fixes its TLS protocol lists when TLS is first used in a JVM, and this class may be
        // the first to use it: make TLSv1/1.1 possible as delivery does at start, else the TLS 1.0
        // cases of tests run after this one (PostfixPeersTest) fail when run without the Quarkus tests
        LegacyTlsProtocols.allowWherePolicyAsks();
    }

    static final Vertx VERTX = Vertx.vertx();

    @AfterAll
    static void close() throws Exception {
        VERTX.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Trusts any chain; a plain X509TrustManager, so the JDK itself checks the name when the engine asks it to. */
    static final X509TrustManager TRUST_ANY = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };

    /** Records what the tap hands on. */
    static final class Recorder implements WireListener {
        final List<String> written = new CopyOnWriteArrayList<>();
        volatile boolean connected;
        volatile SSLSession tls;

        @Override
        public void connected(NetSocket socket) {
            connected = true;
        }

        @Override
        public void connectFailed() {
        }

        @Override
        public void read(NetSocket socket, Buffer data) {
        }

        @Override
        public void wrote(NetSocket socket, String data) {
            written.add(data);
        }

        final List<Integer> bodies = new CopyOnWriteArrayList<>();

        @Override
        public void wroteBody(NetSocket socket, int octets) {
            bodies.add(octets);
        }

        volatile boolean closedSeen;

        @Override
        public void closed(NetSocket socket) {
            closedSeen = true;
        }

        @Override
        public void startingTls() {
        }

        @Override
        public void tlsEstablished(SSLSession session) {
            tls = session;
        }
    }

    static VertxMailClient.Settings settings(String host, int port, Transport transport, AuthMethod auth) {
        return new VertxMailClient.Settings(host, "127.0.0.1", port, "relay.postway.test", transport,
                List.of("TLSv1.2", "TLSv1.3"), TRUST_ANY, auth == AuthMethod.NONE ? null
                        : new VertxMailClient.Login(auth, Peers.env().get("PEERS_SASL_USER"), Peers.env().get("PEERS_SASL_PASSWORD")),
                Duration.ofSeconds(10), Duration.ofSeconds(10), 100);
    }

    static OutgoingMessage message(String from, String to) {
        return OutgoingMessage.of(from, List.of(to), ("From: it@contoso.test\r\nTo: " + to + "\r\nSubject: pin\r\n\r\nHello.\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    static Throwable failureOf(Future<?> f) {
        return assertThrows(ExecutionException.class, () -> await(f)).getCause();
    }

    static String unique(String local) {
        return local + "-" + UUID.randomUUID().toString().substring(0, 8) + "@peer.test";
    }

    @Test
    void theClientOnTheClassPathIsThePinnedVersion() throws Exception {
        Properties pom = new Properties();
        try (InputStream in = MailClient.class.getResourceAsStream("/META-INF/maven/io.vertx/vertx-mail-client/pom.properties")) {
            pom.load(in);
        }
        assertEquals(VertxMailClient.PINNED_VERSION, pom.getProperty("version"));
        assertEquals(VertxMailClient.PINNED_VERSION, MailClient.class.getPackage().getImplementationVersion());
    }

    @Test
    void theClientRewritesTheConfigItIsGivenAndInvertsTheHostnameVerificationSetting() {
        MailConfig https = new MailConfig().setHostname("127.0.0.1").setPort(1).setStarttls(StartTLSOptions.REQUIRED)
                .setHostnameVerificationAlgorithm("HTTPS");
        MailClient.create(VERTX, https).close();
        assertEquals("", https.getHostnameVerificationAlgorithm(), "given HTTPS, the client switches the check off");
        MailClient.create(VERTX, https).close();
        assertEquals("HTTPS", https.getHostnameVerificationAlgorithm(), "the same config object flips back on reuse");

        MailConfig copied = new MailConfig().setHostname("127.0.0.1").setPort(1).setStarttls(StartTLSOptions.REQUIRED)
                .setHostnameVerificationAlgorithm("HTTPS");
        MailClient.create(VERTX, new MailConfig(copied)).close();
        assertEquals("HTTPS", copied.getHostnameVerificationAlgorithm(), "a copy keeps the original intact");
    }

    @Test
    void withTheInvertedSettingNettyLeavesTheNameToTheTrustManager() throws Exception {
        int wrongName = Peers.port("WRONG_NAME");
        // as the adapter configures it: the certificate for wrong.invalid passes a trust manager that accepts it
        String rcpt = unique("pin-name");
        VertxMailClient adapter = new VertxMailClient(VERTX, settings("mx.peer.test", wrongName, Transport.STARTTLS_REQUIRED, AuthMethod.NONE), new Recorder());
        assertEquals(List.of(rcpt), await(adapter.send(message("it@contoso.test", rcpt))));
        adapter.close();

        // the same with an empty setting: the client turns Netty's (the JDK's) name check on, and it fails
        MailConfig checking = VertxMailClient.config(settings("127.0.0.1", wrongName, Transport.STARTTLS_REQUIRED, AuthMethod.NONE))
                .setHostnameVerificationAlgorithm("").setTrustOptions(TrustOptions.wrap(TRUST_ANY));
        MailClient raw = MailClient.create(VERTX, checking);
        Throwable refused = failureOf(raw.sendMail(message("it@contoso.test", unique("pin-name-checked")).mail("pin")));
        assertTrue(ErrorChain.describe(refused).contains("No subject alternative names matching IP address 127.0.0.1"),
                ErrorChain.describe(refused));
        raw.close();
    }

    @Test
    void theTapConnectsToTheChosenAddressAndSeesEveryLineAndTheTlsSession() throws Exception {
        Recorder tap = new Recorder();
        // mx.peer.test is known to the peers' DNS only: the client would fail to resolve it itself
        VertxMailClient client = new VertxMailClient(VERTX, settings("mx.peer.test", Peers.port("STARTTLS"), Transport.STARTTLS_REQUIRED,
                AuthMethod.NONE), tap);
        String rcpt = unique("pin-tap");
        assertEquals(List.of(rcpt), await(client.send(message("it@contoso.test", rcpt))));
        client.close();
        assertTrue(tap.connected);
        assertTrue(tap.tls != null && tap.tls.getProtocol().startsWith("TLSv1."), String.valueOf(tap.tls));
        String wire = String.join("", tap.written);
        assertTrue(wire.contains("STARTTLS\r\n") && wire.contains("RCPT TO:<" + rcpt + ">\r\n"), wire);
        assertEquals(List.of("Hello.\r\n".length()), tap.bodies, "the body went out as bytes, reported by its length");
        assertTrue(!wire.contains(BodySwap.STAND_IN), "the stand-in never reaches the wire: " + wire);
    }

    /**
     * BodySwap and CoalescedWrites rely on this: message data goes out through {@code
     * NetSocket.write(String)}, the header block in one call and then the text one call per line,
     * {@code line + CRLF}, as does QUIT; the commands that expect a reply and the final dot go through
     * {@code write(String, Handler)}; with SIZE announced, MAIL FROM carries a {@code SIZE=} (which
     * BodySwap rewrites).
     */
    @Test
    @SuppressWarnings("unchecked")
    void theClientWritesMessageDataLineByLineWithWriteStringAndCommandsWithAHandler() throws Exception {
        List<String> lineWrites = new CopyOnWriteArrayList<>();
        List<String> handlerWrites = new CopyOnWriteArrayList<>();
        Vertx recording = forwarding(Vertx.class, VERTX, (method, args, result) -> method.getName().equals("createNetClient")
                ? forwarding(NetClient.class, (NetClient) result, (m, a, r) -> m.getName().equals("connect") && r instanceof Future<?> f
                        ? ((Future<NetSocket>) f).map(socket -> forwarding(NetSocket.class, socket, (sm, sa, sr) -> {
                            if (sm.getName().equals("write") && sa[0] instanceof String text) {
                                (sa.length == 1 ? lineWrites : handlerWrites).add(text);
                            }
                            return sr;
                        }))
                        : r)
                : result);
        try (FaultSmtpServer server = new FaultSmtpServer()) {
            MailClient client = MailClient.create(recording, VertxMailClient.config(settings("127.0.0.1", server.port(), Transport.PLAINTEXT, AuthMethod.NONE)));
            OutgoingMessage message = OutgoingMessage.of("it@contoso.test", List.of("pin@fault.test"),
                    "Subject: pin\r\n\r\nline one\r\n.line two\r\nline three\r\n".getBytes(StandardCharsets.US_ASCII));
            await(client.sendMail(message.mail("first line\n.second line")));
            client.close(); // sends QUIT on its own time
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> lineWrites.contains("QUIT\r\n"));
        }
        // QUIT too: why CoalescedWrites never leaves a line pending past the task that wrote it
        assertEquals(List.of("Subject: pin\r\n\r\n", "first line\r\n", "..second line\r\n", "QUIT\r\n"), lineWrites);
        assertTrue(handlerWrites.contains(".\r\n"), handlerWrites.toString());
        assertTrue(handlerWrites.stream().anyMatch(w -> w.matches("(?s)MAIL FROM:<it@contoso.test> SIZE=\\d+\r\n.*")), handlerWrites.toString());
    }

    private interface AfterCall {
        Object after(java.lang.reflect.Method method, Object[] args, Object result) throws Exception;
    }

    /** A proxy that calls {@code real} and lets {@code after} replace the result. */
    @SuppressWarnings("unchecked")
    private static <T> T forwarding(Class<T> type, T real, AfterCall after) {
        return (T) java.lang.reflect.Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (self, method, args) -> {
            Object[] a = args == null ? new Object[0] : args;
            Object result;
            try {
                result = method.invoke(real, args);
            } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
            }
            return result == real ? self : after.after(method, a, result);
        });
    }

    @Test
    void aNullReversePathGoesOutAsAnEmptyMailFrom() throws Exception {
        try (FaultSmtpServer server = new FaultSmtpServer()) {
            for (String nullPath : new String[]{null, "", "<>"}) {
                VertxMailClient client = new VertxMailClient(VERTX, settings("fault.test", server.port(), Transport.PLAINTEXT,
                        AuthMethod.NONE), new Recorder());
                assertEquals(List.of("bounce@fault.test"), await(client.send(message(nullPath, "bounce@fault.test"))));
                client.close();
            }
            assertEquals(3, server.commands.stream().filter(c -> c.startsWith("MAIL FROM:<> ")).count(), server.commands.toString());
        }
    }

    @Test
    void theClientsOwnRefusalsAreRecognisedByTheirMessages() throws Exception {
        VertxMailClient noStarttls = new VertxMailClient(VERTX, settings("mx.peer.test", Peers.port("PLAIN"), Transport.STARTTLS_REQUIRED,
                AuthMethod.NONE), new Recorder());
        assertRefusal(Refusal.STARTTLS_NOT_OFFERED, failureOf(noStarttls.send(message("it@contoso.test", unique("pin-tls")))));
        noStarttls.close();

        VertxMailClient authAfterTlsOnly = new VertxMailClient(VERTX, settings("mx.peer.test", Peers.port("AUTH_TLS_ONLY"),
                Transport.PLAINTEXT, AuthMethod.PLAIN), new Recorder());
        assertRefusal(Refusal.NO_AUTH_METHOD, failureOf(authAfterTlsOnly.send(message("it@contoso.test", unique("pin-auth")))));
        authAfterTlsOnly.close();

        try (FaultSmtpServer server = new FaultSmtpServer()) {
            server.sizeLimit = 10;
            VertxMailClient tooLarge = new VertxMailClient(VERTX, settings("fault.test", server.port(), Transport.PLAINTEXT,
                    AuthMethod.NONE), new Recorder());
            assertRefusal(Refusal.MESSAGE_TOO_LARGE, failureOf(tooLarge.send(message("it@contoso.test", "big@fault.test"))));
            tooLarge.close();

            server.sizeLimit = 10240000;
            server.pipelining = false;
            server.rcptReplies.put("nobody", "550 5.1.1 no such user");
            VertxMailClient allRefused = new VertxMailClient(VERTX, settings("fault.test", server.port(), Transport.PLAINTEXT,
                    AuthMethod.NONE), new Recorder());
            assertRefusal(Refusal.NO_RECIPIENT_ACCEPTED, failureOf(allRefused.send(message("it@contoso.test", "nobody@fault.test"))));
            allRefused.close();
        }
        assertEquals(Refusal.OTHER, VertxMailClient.refusalOf(new IllegalStateException("socket was closed unexpected.")));
    }

    private static void assertRefusal(Refusal expected, Throwable error) {
        assertEquals(expected, VertxMailClient.refusalOf(error), String.valueOf(error));
    }

    /**
     * Why the session's tap ends a send itself when the connection closes mid-dialogue
     * (smtp/SessionTap, which alone can tell that close from the one after QUIT): the client never
     * answers a send whose connection closed before the greeting.
     */
    @Test
    void theClientNeverAnswersASendWhoseConnectionClosedBeforeTheGreeting() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            Thread closer = new Thread(() -> {
                try (Socket s = server.accept()) {
                    // closed at once, before any greeting
                } catch (IOException e) {
                    // the test ends the server
                }
            });
            closer.setDaemon(true);
            closer.start();
            Recorder tap = new Recorder();
            VertxMailClient client = new VertxMailClient(VERTX, settings("fault.test", server.getLocalPort(), Transport.PLAINTEXT,
                    AuthMethod.NONE), tap);
            Future<List<String>> send = client.send(message("it@contoso.test", "never@fault.test"));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> tap.connected && tap.closedSeen);
            Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> !send.isComplete());
            client.close();
        }
    }

    /** Why a session that logs in never asks for STARTTLS when offered (SessionSettings.transport): with OPTIONAL the real client logs in over plaintext. */
    @Test
    void withStarttlsOptionalAndALoginTheClientSendsTheCredentialsInPlaintextWhenStarttlsIsNotOffered() throws Exception {
        try (FaultSmtpServer server = new FaultSmtpServer()) {
            server.offerAuth = true;
            MailConfig optional = new MailConfig().setHostname("127.0.0.1").setPort(server.port()).setStarttls(StartTLSOptions.OPTIONAL)
                    .setLogin(LoginOption.REQUIRED).setAuthMethods("PLAIN")
                    .setUsername("user").setPassword("secret").setMaxPoolSize(1);
            MailClient raw = MailClient.create(VERTX, optional);
            await(raw.sendMail(message("it@contoso.test", "login@fault.test").mail("pin")));
            raw.close();
            List<String> commands = List.copyOf(server.commands);
            assertTrue(commands.stream().noneMatch(c -> c.equalsIgnoreCase("STARTTLS")), commands.toString());
            int auth = indexOfFirst(commands, "AUTH PLAIN");
            assertTrue(auth >= 0 && auth < indexOfFirst(commands, "MAIL FROM"), "AUTH in plaintext, before MAIL: " + commands);
        }
    }

    private static int indexOfFirst(List<String> commands, String prefix) {
        for (int i = 0; i < commands.size(); i++) {
            if (commands.get(i).toUpperCase().startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    /** The adapter translates each transport as it is; a session that logs in never asks for STARTTLS_WHEN_OFFERED (SessionSettings). */
    @Test
    void eachTransportIsGivenToTheClientAsItsOwnStarttlsOption() {
        assertEquals(StartTLSOptions.OPTIONAL, VertxMailClient.config(settings("mx.peer.test", 25, Transport.STARTTLS_WHEN_OFFERED,
                AuthMethod.NONE)).getStarttls());
        assertEquals(StartTLSOptions.REQUIRED, VertxMailClient.config(settings("mx.peer.test", 25, Transport.STARTTLS_REQUIRED,
                AuthMethod.PLAIN)).getStarttls());
        assertEquals(StartTLSOptions.REQUIRED, VertxMailClient.config(settings("mx.peer.test", 25, Transport.STARTTLS_REQUIRED,
                AuthMethod.NONE)).getStarttls());
        // TLS DISABLED by the policy: a login in plaintext is what it allows
        assertEquals(StartTLSOptions.DISABLED, VertxMailClient.config(settings("mx.peer.test", 25, Transport.PLAINTEXT,
                AuthMethod.PLAIN)).getStarttls());
        MailConfig implicit = VertxMailClient.config(settings("mx.peer.test", 465, Transport.IMPLICIT_TLS, AuthMethod.PLAIN));
        assertTrue(implicit.isSsl());
        assertEquals(StartTLSOptions.DISABLED, implicit.getStarttls());
    }

    @Test
    void eventLoopsRunWorkOnAnEventLoopOfTheirOwnWhateverThreadAsks() throws Exception {
        EventLoops loops = new EventLoops(VERTX);
        // one context per Vert.x event loop, taken in turn by work arriving from outside
        Set<Context> used = new HashSet<>();
        for (int i = 0; i < 2 * VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE; i++) {
            used.add(await(loops.run(() -> Future.succeededFuture(Vertx.currentContext()))));
        }
        assertEquals(VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE, used.size());
        Context ran = await(loops.run(() -> Future.succeededFuture(Vertx.currentContext())));
        assertTrue(ran.isEventLoopContext());
        // from one of its loops the work runs at once, on the same context
        Context nested = await(loops.run(() -> {
            Context outer = Vertx.currentContext();
            return loops.run(() -> Future.succeededFuture(Vertx.currentContext())).map(inner -> {
                assertEquals(outer, inner);
                return inner;
            });
        }));
        assertInstanceOf(Context.class, nested);
    }
}
