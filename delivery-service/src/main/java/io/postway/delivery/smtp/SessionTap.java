package io.postway.delivery.smtp;

import io.postway.delivery.domain.SmtpReply;
import io.postway.delivery.domain.Stage;
import io.postway.delivery.domain.TlsReport;
import io.postway.delivery.domain.Transcript;
import io.postway.delivery.mailclient.WireListener;
import io.postway.delivery.tls.CertificateVerdict;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Watches the single connection of one session's Vert.x {@code MailClient}: every line it writes
 * and every reply it reads, in order. The mail client runs the SMTP dialogue; it does not say
 * which step failed, what each rejected recipient was told, which TLS session it got, or what was
 * said. The tap does, and it bounds each wait for a reply (the client has no such timeouts): a
 * reply that does not come in time closes the socket, which fails the client's send.
 * <p>
 * Written to by the connection's event loop; read by the session once the send has completed.
 */
final class SessionTap implements WireListener, CertificateVerdict.Listener {

    /** A reply the server owes, for the command that asked for it. */
    private record Awaited(Stage stage, String argument) {
    }

    private final Vertx vertx;
    private final String host;
    private final Timeouts timeouts;
    private final Deque<Awaited> awaited = new ArrayDeque<>();
    private final List<String> replyLines = new ArrayList<>();
    private final StringBuilder written = new StringBuilder();
    private final StringBuilder read = new StringBuilder();

    private NetSocket socket;
    private boolean quitting;
    private Transcript transcript = new Transcript();
    private long timer = -1;
    private boolean inData;
    private long dataBytes;
    private boolean authContinues;
    private int transactionsOnConnection;

    // what the current attempt saw
    private final Map<String, SmtpReply> rcptReplies = new LinkedHashMap<>();
    private Stage lastStage = Stage.CONNECT;
    private SmtpReply lastReply;
    private SmtpReply refusal;
    private Stage refusalStage;
    private Handler<Throwable> abort = t -> { };
    private Stage timedOut;
    private String timeoutText;
    private Stage stageAtClose;
    private SmtpReply starttlsRefusal;
    private boolean reused;
    private long sizeLimit;
    private String garbage;
    private boolean connected;
    private boolean closedByPeer;
    private String remoteIp;
    private TlsReport tls = TlsReport.NONE;
    private CertificateVerdict verdict;

    SessionTap(Vertx vertx, String host, Timeouts timeouts) {
        this.vertx = vertx;
        this.host = host;
        this.timeouts = timeouts;
    }

    /**
     * Starts a send: a fresh transcript and per-attempt facts; TLS and the address stay with the
     * connection. {@code abort} ends the send when the connection is gone mid-dialogue: the mail
     * client never answers a send whose connection closed before the greeting.
     */
    synchronized void begin(Transcript forThisSend, Handler<Throwable> abort) {
        transcript = forThisSend;
        this.abort = abort;
        rcptReplies.clear();
        lastReply = null;
        refusal = null;
        refusalStage = null;
        timedOut = null;
        timeoutText = null;
        stageAtClose = null;
        starttlsRefusal = null;
        garbage = null;
        closedByPeer = false;
        reused = socket != null && !quitting;
        if (reused) {
            transcript.note("reusing the connection to " + remoteIp + " (" + transactionsOnConnection + " messages before)");
            lastStage = Stage.MAIL;
        } else {
            lastStage = Stage.CONNECT;
            connected = false;
            tls = TlsReport.NONE;
            verdict = null;
        }
    }

    // --- the socket side (WireListener: called by the mail client adapter's TappedVertx) ---

    @Override
    public synchronized void connected(NetSocket real) {
        socket = real;
        quitting = false;
        connected = true;
        reused = false;
        transactionsOnConnection = 0;
        remoteIp = real.remoteAddress() == null ? null : real.remoteAddress().hostAddress();
        transcript.note("connected to " + host + " " + remoteIp + ":" + (real.remoteAddress() == null ? "?" : real.remoteAddress().port())
                + (real.isSsl() ? " (implicit TLS)" : ""));
        if (real.isSsl()) {
            tlsEstablished(real.sslSession());
        }
        lastStage = Stage.GREETING;
        expect(new Awaited(Stage.GREETING, null));
    }

    @Override
    public synchronized void connectFailed() {
        connected = false;
        lastStage = Stage.CONNECT;
    }

    @Override
    public synchronized void closed(NetSocket real) {
        if (real != socket) {
            return; // a connection the client had already quit
        }
        cancelTimer();
        stageAtClose = stageInProgress();
        if (socket != null && timedOut == null && (inData || !awaited.isEmpty())) {
            closedByPeer = true;
            transcript.note("the server closed the connection");
            abort.handle(new IOException("the server closed the connection at " + stageAtClose));
        }
        socket = null;
        awaited.clear();
        replyLines.clear();
        written.setLength(0);
        read.setLength(0);
        inData = false;
        authContinues = false;
    }

    @Override
    public synchronized void startingTls() {
        lastStage = Stage.TLS_HANDSHAKE;
        transcript.note("TLS handshake");
    }

    @Override
    public synchronized void tlsEstablished(SSLSession session) {
        X509Certificate leaf = null;
        try {
            if (session.getPeerCertificates().length > 0 && session.getPeerCertificates()[0] instanceof X509Certificate c) {
                leaf = c;
            }
        } catch (SSLPeerUnverifiedException e) {
            // an anonymous cipher: no certificate to report
        }
        Boolean verified = verdict != null && verdict.verified();
        tls = new TlsReport(true, session.getProtocol(), session.getCipherSuite(), verified,
                leaf == null ? null : leaf.getSubjectX500Principal().getName(),
                leaf == null ? null : leaf.getIssuerX500Principal().getName(),
                leaf == null ? null : leaf.getNotAfter().toInstant(), verdict == null ? null : verdict.webPkiProblem());
        transcript.note("TLS " + session.getProtocol() + " " + session.getCipherSuite()
                + (leaf == null ? "" : " peer " + tls.peerSubject()) + (Boolean.TRUE.equals(verified) ? " verified" : " not verified"));
    }

    @Override
    public synchronized void certificate(CertificateVerdict v, String protocol, String cipher) {
        verdict = v;
        if (v.refusedAs() != null) {
            X509Certificate leaf = v.leaf();
            // negotiated as far as the certificate: the report shows what was refused
            tls = new TlsReport(true, protocol, cipher, false,
                    leaf == null ? null : leaf.getSubjectX500Principal().getName(),
                    leaf == null ? null : leaf.getIssuerX500Principal().getName(),
                    leaf == null ? null : leaf.getNotAfter().toInstant(), v.webPkiProblem());
            transcript.note("certificate refused: " + v.detail());
        }
    }

    @Override
    public synchronized void wrote(NetSocket real, String data) {
        if (real != socket || quitting) {
            return;
        }
        if (inData && written.isEmpty() && data.indexOf('\n') == data.length() - 1 && data.endsWith("\r\n") && !data.equals(".\r\n")) {
            // one whole body line, the common case by far: only its length counts (as clientLine would)
            dataBytes += data.length();
            return;
        }
        written.append(data);
        int end;
        while ((end = written.indexOf("\r\n")) >= 0) {
            String line = written.substring(0, end);
            written.delete(0, end + 2);
            clientLine(line);
        }
    }

    @Override
    public synchronized void wroteBody(NetSocket real, int octets) {
        if (real == socket && !quitting && inData) {
            dataBytes += octets;
        }
    }

    @Override
    public synchronized void read(NetSocket real, Buffer data) {
        if (real != socket || quitting) {
            return; // e.g. the 221 to a QUIT, arriving while the client already uses a new connection
        }
        read.append(data.toString(StandardCharsets.ISO_8859_1));
        int end;
        while ((end = read.indexOf("\n")) >= 0) {
            String line = read.substring(0, end);
            read.delete(0, end + 1);
            serverLine(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        }
    }

    private void clientLine(String line) {
        if (inData) {
            if (line.equals(".")) {
                inData = false;
                transcript.note("message sent (" + dataBytes + " bytes)");
                transcript.client(".");
                expect(new Awaited(Stage.DONE, null));
            } else {
                dataBytes += line.length() + 2;
            }
            return;
        }
        if (authContinues) {
            transcript.clientSecret("");
            expect(new Awaited(Stage.AUTH, null));
            return;
        }
        transcript.client(line);
        String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
        switch (verb) {
            case "EHLO", "HELO" -> expect(new Awaited(Stage.EHLO, null));
            case "STARTTLS" -> expect(new Awaited(Stage.STARTTLS, null));
            case "AUTH" -> expect(new Awaited(Stage.AUTH, null));
            case "MAIL" -> expect(new Awaited(Stage.MAIL, null));
            case "RCPT" -> expect(new Awaited(Stage.RCPT, between(line, '<', '>')));
            case "DATA" -> expect(new Awaited(Stage.DATA, null));
            case "QUIT" -> {
                // the client is done with this connection (it does not wait for the reply): so are we
                quitting = true;
                cancelTimer();
                awaited.clear();
            }
            default -> expect(new Awaited(Stage.MAIL, verb)); // RSET before a reused connection's transaction
        }
    }

    private void serverLine(String line) {
        transcript.server(line);
        if (!SmtpReply.isReplyLine(line)) {
            garbage = line;
            return;
        }
        replyLines.add(line);
        if (!SmtpReply.isLastLine(line)) {
            return;
        }
        SmtpReply reply = SmtpReply.of(List.copyOf(replyLines));
        replyLines.clear();
        Awaited a = awaited.pollFirst();
        cancelTimer();
        if (!awaited.isEmpty()) {
            armTimer(awaited.peekFirst().stage);
        }
        if (a == null) {
            return;
        }
        lastStage = a.stage;
        lastReply = reply;
        authContinues = a.stage == Stage.AUTH && reply.code() == 334;
        // the first refusal is the cause (after a refused MAIL, DATA fails too); only HELO replaces a refused EHLO
        if (!reply.positive() && a.stage != Stage.RCPT && (refusal == null || refusalStage == Stage.EHLO && a.stage == Stage.EHLO)) {
            refusal = reply;
            refusalStage = a.stage == Stage.DONE ? Stage.DATA : a.stage;
        }
        if (a.stage == Stage.EHLO && reply.positive()) {
            sizeLimit = announcedSize(reply);
        }
        if (a.stage == Stage.STARTTLS && reply.code() != 220) {
            starttlsRefusal = reply;
        }
        if (a.stage == Stage.RCPT && a.argument != null) {
            rcptReplies.put(a.argument, reply);
        }
        if (a.stage == Stage.DATA && reply.code() == 354) {
            inData = true;
            dataBytes = 0;
            // the whole message and its final reply share the DATA timeout, as RFC 5321 4.5.3.2 times them
            armTimer(Stage.DONE);
        }
        if (a.stage == Stage.DONE && reply.positive()) {
            transactionsOnConnection++;
        }
    }

    private void expect(Awaited a) {
        awaited.addLast(a);
        if (awaited.size() == 1) {
            armTimer(a.stage);
        }
    }

    private void armTimer(Stage stage) {
        cancelTimer();
        long ms = switch (stage) {
            case GREETING -> timeouts.greeting().toMillis();
            case DONE -> timeouts.data().toMillis();
            default -> timeouts.command().toMillis();
        };
        timer = vertx.setTimer(ms, id -> timedOut(stage, ms));
    }

    private void cancelTimer() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    private synchronized void timedOut(Stage stage, long ms) {
        timer = -1;
        if (socket == null) {
            return;
        }
        timedOut = stage == Stage.DONE ? Stage.DATA : stage;
        timeoutText = ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
        transcript.note("no reply within " + timeoutText + "; closing the connection");
        socket.close();
        abort.handle(new IOException("no reply within " + timeoutText + " at " + timedOut));
    }

    /** Closes the connection after a failed send, so that nothing the client left half-done lingers. */
    synchronized void abort() {
        if (socket != null) {
            socket.close();
        }
    }

    /** RFC 1870: the SIZE the EHLO reply announces, 0 when none (or no limit). */
    private static long announcedSize(SmtpReply ehlo) {
        for (String line : ehlo.lines()) {
            String[] words = line.strip().split("\\s+");
            if (words.length == 2 && words[0].equalsIgnoreCase("SIZE")) {
                try {
                    return Long.parseLong(words[1]);
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    private static String between(String line, char open, char close) {
        int a = line.indexOf(open), b = line.lastIndexOf(close);
        return a >= 0 && b > a ? line.substring(a + 1, b) : null;
    }

    // --- what the session reads after a send ---

    synchronized boolean wasConnected() {
        return connected;
    }

    /** The step the session was in when it ended: the one awaiting a reply, else the last answered. */
    synchronized Stage failedStage() {
        if (timedOut != null) {
            return timedOut;
        }
        return stageAtClose != null ? stageAtClose : stageInProgress();
    }

    private Stage stageInProgress() {
        if (inData) {
            return Stage.DATA;
        }
        Awaited head = awaited.peekFirst();
        Stage st = head != null ? head.stage : lastStage;
        return st == Stage.DONE ? Stage.DATA : st;
    }

    synchronized long sizeLimit() {
        return sizeLimit;
    }

    synchronized String timeoutText() {
        return timeoutText;
    }

    synchronized SmtpReply starttlsRefusal() {
        return starttlsRefusal;
    }

    synchronized boolean wasReused() {
        return reused;
    }

    synchronized SmtpReply lastReply() {
        return lastReply;
    }

    /** The negative reply that ended this send, outside RCPT (those are per recipient), and its step. */
    synchronized SmtpReply refusal() {
        return refusal;
    }

    synchronized Stage refusalStage() {
        return refusalStage;
    }

    synchronized SmtpReply rcptReply(String recipient) {
        return rcptReplies.get(recipient);
    }

    synchronized Stage timedOut() {
        return timedOut;
    }

    synchronized String garbage() {
        return garbage;
    }

    synchronized boolean closedByPeer() {
        return closedByPeer;
    }

    synchronized String remoteIp() {
        return remoteIp;
    }

    synchronized TlsReport tls() {
        return tls;
    }

    synchronized CertificateVerdict verdict() {
        return verdict;
    }
}
