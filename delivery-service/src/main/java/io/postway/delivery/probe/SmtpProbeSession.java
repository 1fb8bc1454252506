package io.postway.delivery.probe;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One blocking SMTP conversation of a probe: connect, read replies, send commands, upgrade to TLS,
 * QUIT. Every read waits at most the step timeout (the socket's SO_TIMEOUT), so a silent host ends
 * the session rather than the probe. It never sends MAIL, RCPT or DATA: a probe delivers nothing.
 * Blocking sockets on the probe's own thread, not the delivery event loops: a probe is rare,
 * sequential and short, and an SSLSocket per handshake is the plainest way to offer one version.
 */
final class SmtpProbeSession implements Closeable {

    /** A multi-line reply: its code and its lines as sent. */
    record Reply(int code, List<String> lines) {
        boolean positive() {
            return code >= 200 && code < 400;
        }

        String first() {
            return lines.isEmpty() ? "" : lines.get(0);
        }
    }

    private final Duration stepTimeout;
    private Socket socket;
    private BufferedReader in;
    private OutputStream out;

    private SmtpProbeSession(Duration stepTimeout) {
        this.stepTimeout = stepTimeout;
    }

    /** Connects to {@code ip} (or {@code host} when no address is known) on {@code port}. */
    static SmtpProbeSession connect(String host, String ip, int port, Duration stepTimeout) throws IOException {
        SmtpProbeSession s = new SmtpProbeSession(stepTimeout);
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(ip != null ? ip : host, port), (int) stepTimeout.toMillis());
            socket.setSoTimeout((int) stepTimeout.toMillis());
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        s.use(socket);
        return s;
    }

    private void use(Socket s) throws IOException {
        socket = s;
        in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
        out = s.getOutputStream();
    }

    Reply read() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed by the server" + (lines.isEmpty() ? "" : " after " + lines));
            }
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                if (line.length() < 3 || !line.substring(0, 3).chars().allMatch(Character::isDigit)) {
                    throw new IOException("not an SMTP reply: " + line);
                }
                return new Reply(Integer.parseInt(line.substring(0, 3)), lines);
            }
            if (lines.size() > 200) {
                throw new IOException("reply longer than 200 lines");
            }
        }
    }

    Reply command(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return read();
    }

    /**
     * Replaces the connection by a TLS one offering only {@code version}, with {@code host} as the
     * server name, and completes the handshake (or throws what ended it).
     */
    SSLSocket startTls(SSLContext context, String host, String version) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, host, socket.getPort(), true);
        tls.setEnabledProtocols(new String[]{version});
        tls.setSoTimeout((int) stepTimeout.toMillis());
        tls.setUseClientMode(true);
        use(tls);
        tls.startHandshake();
        return tls;
    }

    /** QUIT, politely and without waiting long for the answer; then the socket is closed. */
    void quit() {
        try {
            socket.setSoTimeout((int) Math.min(2000, stepTimeout.toMillis()));
            command("QUIT");
        } catch (IOException e) {
            // the server may close first; nothing was pending
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a socket that failed
        }
    }
}
