package io.postway.local;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.parsetools.RecordParser;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The local stack's mail catcher: a small SMTP server that offers STARTTLS (self-signed
 * certificate) and writes every message it receives to a folder, one {@code .eml} file each, so a
 * message sent through Postway on a machine without internet can be looked at.
 *
 * <p>It accepts any sender and recipient and never relays. Each stored file starts with a
 * {@code Received:} header saying whether the session used TLS, like a real MTA's.
 *
 * <p>Usage: {@code MailCatcher <port> <inbox-dir> <pkcs12-keystore> <keystore-password>}.
 */
public final class MailCatcher {

    private static final String NAME = "postway-catcher";
    private static final long MAX_SIZE = 52_428_800;
    private final Path inbox;
    private final AtomicLong sequence = new AtomicLong();

    private MailCatcher(Path inbox) {
        this.inbox = inbox;
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path inbox = Path.of(args[1]).toAbsolutePath();
        Files.createDirectories(inbox);
        NetServerOptions options = new NetServerOptions()
                .setHost("127.0.0.1").setPort(port)
                .setKeyCertOptions(new PfxOptions().setPath(args[2]).setPassword(args[3]));
        MailCatcher catcher = new MailCatcher(inbox);
        Vertx vertx = Vertx.vertx();
        vertx.createNetServer(options).connectHandler(catcher::serve).listen()
                .onSuccess(s -> System.out.println("READY " + s.actualPort() + " " + inbox))
                .onFailure(e -> {
                    System.err.println("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage());
                    System.exit(1);
                });
        Runtime.getRuntime().addShutdownHook(new Thread(vertx::close));
    }

    private void serve(NetSocket socket) {
        new Session(socket).start();
    }

    /** One SMTP session; the catcher talks to one client at a time per socket, without pipelining. */
    private final class Session {
        private final NetSocket socket;
        private final RecordParser parser;
        private boolean tls;
        private boolean inData;
        private String from;
        private final List<String> recipients = new ArrayList<>();
        private Buffer data = Buffer.buffer();

        Session(NetSocket socket) {
            this.socket = socket;
            this.parser = RecordParser.newDelimited("\r\n", this::onLine).maxRecordSize(1_048_576);
        }

        void start() {
            socket.handler(parser);
            socket.exceptionHandler(e -> socket.close());
            reply("220 " + NAME + " ESMTP ready");
        }

        private void reply(String line) {
            socket.write(line + "\r\n");
        }

        private void onLine(Buffer line) {
            if (inData) {
                onDataLine(line);
                return;
            }
            String command = line.toString(StandardCharsets.US_ASCII);
            String verb = command.split(" ", 2)[0].toUpperCase();
            switch (verb) {
                case "EHLO" -> reply("250-" + NAME + "\r\n250-8BITMIME\r\n250-SIZE " + MAX_SIZE
                        + (tls ? "" : "\r\n250-STARTTLS") + "\r\n250 ENHANCEDSTATUSCODES");
                case "HELO" -> reply("250 " + NAME);
                case "STARTTLS" -> {
                    if (tls) {
                        reply("503 5.5.1 TLS already active");
                        return;
                    }
                    reply("220 2.0.0 Ready to start TLS");
                    socket.upgradeToSsl(ar -> {
                        if (ar.succeeded()) {
                            tls = true;
                            resetTransaction();
                        } else {
                            socket.close();
                        }
                    });
                }
                case "MAIL" -> {
                    from = argument(command);
                    recipients.clear();
                    reply("250 2.1.0 Ok");
                }
                case "RCPT" -> {
                    if (from == null) {
                        reply("503 5.5.1 MAIL first");
                        return;
                    }
                    recipients.add(argument(command));
                    reply("250 2.1.5 Ok");
                }
                case "DATA" -> {
                    if (recipients.isEmpty()) {
                        reply("503 5.5.1 RCPT first");
                        return;
                    }
                    inData = true;
                    data = Buffer.buffer();
                    reply("354 End data with <CR><LF>.<CR><LF>");
                }
                case "RSET" -> {
                    resetTransaction();
                    reply("250 2.0.0 Ok");
                }
                case "NOOP" -> reply("250 2.0.0 Ok");
                case "QUIT" -> {
                    reply("221 2.0.0 Bye");
                    socket.close();
                }
                default -> reply("502 5.5.2 Command not recognized");
            }
        }

        private void onDataLine(Buffer line) {
            if (line.length() == 1 && line.getByte(0) == '.') {
                inData = false;
                try {
                    String id = store();
                    reply("250 2.0.0 Ok: queued as " + id);
                } catch (IOException e) {
                    reply("451 4.3.0 Cannot store message: " + e.getMessage());
                }
                resetTransaction();
                return;
            }
            // RFC 5321 4.5.2: a leading dot was doubled by the client
            Buffer content = line.length() > 0 && line.getByte(0) == '.' ? line.getBuffer(1, line.length()) : line;
            if (data.length() + content.length() > MAX_SIZE) {
                return; // keep reading to the end of DATA; the stored copy is truncated
            }
            data.appendBuffer(content).appendString("\r\n");
        }

        private String store() throws IOException {
            String id = System.currentTimeMillis() + "-" + sequence.incrementAndGet();
            String received = "Received: from " + socket.remoteAddress().hostAddress() + " by " + NAME
                    + " with " + (tls ? "ESMTPS" : "ESMTP") + " id " + id + "\r\n\tenvelope-from <" + from
                    + ">; for " + String.join(", ", recipients) + "; "
                    + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME) + "\r\n";
            Path tmp = inbox.resolve("." + id + ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                out.write(received.getBytes(StandardCharsets.US_ASCII));
                out.write(data.getBytes());
            }
            Files.move(tmp, inbox.resolve(id + ".eml"), StandardCopyOption.ATOMIC_MOVE);
            return id;
        }

        private void resetTransaction() {
            from = null;
            recipients.clear();
            data = Buffer.buffer();
        }

        private String argument(String command) {
            int lt = command.indexOf('<');
            int gt = command.indexOf('>', lt + 1);
            return lt >= 0 && gt > lt ? command.substring(lt + 1, gt) : command.substring(command.indexOf(':') + 1).trim();
        }
    }
}
