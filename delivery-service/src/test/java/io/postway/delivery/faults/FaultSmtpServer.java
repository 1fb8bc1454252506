package io.postway.delivery.faults;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An SMTP server for what Postfix cannot be told to do: stall, drop the connection during DATA,
 * answer with garbage, or give scripted replies. Listens on 127.0.0.1 only, one thread per
 * connection; records every message it accepted (raw DATA bytes, still dot-stuffed) and the
 * commands it saw.
 */
public final class FaultSmtpServer implements AutoCloseable {

    public enum Greeting { NORMAL, STALL, GARBAGE, REFUSE_554 }

    public enum DataEnd { ACCEPT, DROP_DURING_DATA, STALL_AFTER_DOT, REJECT_554, DEFER_452 }

    public volatile Greeting greeting = Greeting.NORMAL;
    public volatile DataEnd dataEnd = DataEnd.ACCEPT;
    public volatile boolean pipelining = true;
    public volatile long sizeLimit = 10240000;
    /** Offers AUTH PLAIN (no STARTTLS ever) and accepts any login. */
    public volatile boolean offerAuth;
    /** Reply for RCPT by local part (e.g. "nobody" → "550 5.1.1 no such user"); default 250. */
    public final Map<String, String> rcptReplies = new ConcurrentHashMap<>();
    public volatile String mailReply = "250 2.1.0 Ok";
    /** Hang up without a reply at the second MAIL of a session, like a server whose idle timeout just fired. */
    public volatile boolean dropAtSecondMail;

    public final List<byte[]> messages = new CopyOnWriteArrayList<>();
    public final List<String> commands = new CopyOnWriteArrayList<>();
    public final AtomicInteger connections = new AtomicInteger();

    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    public FaultSmtpServer() throws IOException {
        this("127.0.0.1");
    }

    /** Listening on {@code address} (e.g. {@code ::1}), on a free port. */
    public FaultSmtpServer(String address) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getByName(address));
        acceptor = new Thread(this::acceptLoop, "fault-smtp-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                open.add(s);
                Thread t = new Thread(() -> serve(s), "fault-smtp-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            switch (greeting) {
                case STALL -> {
                    in.read(); // hold the connection open, say nothing, until the client gives up
                    return;
                }
                case GARBAGE -> {
                    write(out, "HTTP/1.1 400 Bad Request");
                    in.read();
                    return;
                }
                case REFUSE_554 -> write(out, "554 5.3.2 fault.test no service for you");
                case NORMAL -> write(out, "220 fault.test ESMTP fault server");
            }
            String line;
            int mails = 0;
            boolean transaction = false;
            while ((line = readLine(in)) != null) {
                commands.add(line);
                String upper = line.toUpperCase();
                if (upper.startsWith("EHLO")) {
                    write(out, "250-fault.test" + (pipelining ? "\r\n250-PIPELINING" : "") + "\r\n250-SIZE " + sizeLimit
                            + (offerAuth ? "\r\n250-AUTH PLAIN" : "") + "\r\n250 8BITMIME");
                } else if (offerAuth && upper.startsWith("AUTH PLAIN")) {
                    if (upper.equals("AUTH PLAIN")) {
                        write(out, "334 ");
                        commands.add(readLine(in));
                    }
                    write(out, "235 2.7.0 Authentication successful");
                } else if (upper.startsWith("HELO")) {
                    write(out, "250 fault.test");
                } else if (upper.startsWith("MAIL FROM")) {
                    if (++mails == 2 && dropAtSecondMail) {
                        s.close();
                        return;
                    }
                    long declared = declaredSize(upper);
                    // RFC 1870 6.1, as Postfix answers a declared size over its message_size_limit
                    String reply = declared > sizeLimit ? "552 5.3.4 Message size exceeds fixed limit" : mailReply;
                    transaction = reply.startsWith("2");
                    write(out, reply);
                } else if (!transaction && (upper.startsWith("RCPT TO") || upper.equals("DATA"))) {
                    write(out, "503 5.5.1 Error: need MAIL command"); // what follows a refused MAIL in a pipelined group
                } else if (upper.startsWith("RCPT TO")) {
                    String addr = line.substring(line.indexOf('<') + 1, line.indexOf('>'));
                    String local = addr.substring(0, addr.indexOf('@'));
                    write(out, rcptReplies.getOrDefault(local, "250 2.1.5 Ok"));
                } else if (upper.equals("DATA")) {
                    write(out, "354 End data with <CR><LF>.<CR><LF>");
                    transaction = false; // whatever the end of data brings, the next transaction starts with MAIL
                    if (dataEnd == DataEnd.DROP_DURING_DATA) {
                        readLine(in); // take the first line of the message, then vanish
                        s.close();
                        return;
                    }
                    byte[] msg = readData(in);
                    if (msg == null) {
                        return;
                    }
                    switch (dataEnd) {
                        case ACCEPT -> {
                            messages.add(msg);
                            write(out, "250 2.0.0 Ok: queued as F" + messages.size());
                        }
                        case STALL_AFTER_DOT -> {
                            in.read();
                            return;
                        }
                        case REJECT_554 -> write(out, "554 5.6.0 message content rejected");
                        case DEFER_452 -> write(out, "452 4.3.1 insufficient system storage");
                        default -> {
                        }
                    }
                } else if (upper.equals("RSET") || upper.equals("NOOP")) {
                    transaction &= upper.equals("NOOP");
                    write(out, "250 2.0.0 Ok");
                } else if (upper.equals("QUIT")) {
                    write(out, "221 2.0.0 Bye");
                    return;
                } else {
                    write(out, "502 5.5.2 command not recognized");
                }
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            open.remove(s);
        }
    }

    private static void write(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String l = buf.toString(StandardCharsets.ISO_8859_1);
                return l.endsWith("\r") ? l.substring(0, l.length() - 1) : l;
            }
            buf.write(b);
        }
        return null;
    }

    /** The raw DATA bytes up to (not including) the CRLF.CRLF terminator. */
    private static byte[] readData(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        int p1 = -1, p2 = -1, p3 = -1, p4 = -1; // the four bytes before b
        while ((b = in.read()) >= 0) {
            buf.write(b);
            boolean dotLine = b == '\n' && p1 == '\r' && p2 == '.';
            if (dotLine && ((p3 == '\n' && p4 == '\r') || buf.size() == 3)) {
                byte[] a = buf.toByteArray();
                byte[] body = new byte[Math.max(0, a.length - 3)];
                System.arraycopy(a, 0, body, 0, body.length);
                return body;
            }
            p4 = p3;
            p3 = p2;
            p2 = p1;
            p1 = b;
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }

    /** The SIZE= parameter of a MAIL command (RFC 1870), 0 when there is none. */
    private static long declaredSize(String mailCommand) {
        int at = mailCommand.indexOf(" SIZE=");
        if (at < 0) {
            return 0;
        }
        int end = at + 6;
        while (end < mailCommand.length() && Character.isDigit(mailCommand.charAt(end))) {
            end++;
        }
        return Long.parseLong(mailCommand.substring(at + 6, end));
    }

}
