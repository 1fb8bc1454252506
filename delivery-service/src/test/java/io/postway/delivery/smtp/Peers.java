package io.postway.delivery.smtp;

import io.postway.testkit.LocalInfra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/** The shared Postfix/dnsmasq test peers of deploy/peers: started (idempotent) once, read through {@code peers env}. */
public final class Peers {

    private static Map<String, String> env;

    private Peers() {
    }

    public static synchronized Map<String, String> env() {
        if (env == null) {
            env = startAndRead("start", "env");
        }
        return env;
    }

    /**
     * Runs {@code deploy/peers/peers <start>} (idempotent) and returns the {@code KEY=VALUE} lines that
     * {@code peers <envCommand>} prints (an {@code export } prefix and quotes removed; comments and the
     * script's own chatter skipped).
     */
    public static Map<String, String> startAndRead(String start, String envCommand) {
        Path script = LocalInfra.repositoryRoot().resolve("deploy/peers/peers");
        run(script, start);
        Map<String, String> values = new HashMap<>();
        for (String line : run(script, envCommand).split("\n")) {
            Matcher m = ASSIGNMENT.matcher(line);
            if (m.matches()) {
                values.put(m.group(1), m.group(2).trim().replaceAll("^['\"]|['\"]$", ""));
            }
        }
        return values;
    }

    private static final Pattern ASSIGNMENT = Pattern.compile("\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_]*)\\s*=(.*)");

    private static Map<String, String> daneEnv;

    /**
     * The DANE peers ({@code peers dane-start}, idempotent): PEERS_DANE_AUTHORITATIVE (bind9, signed
     * zones), PEERS_DANE_VALIDATOR (unbound), PEERS_DANE_TRUST_ANCHORS.
     */
    public static synchronized Map<String, String> daneEnv() {
        if (daneEnv == null) {
            env();
            daneEnv = startAndRead("dane-start", "dane-env");
        }
        return daneEnv;
    }

    public static int port(String name) {
        return Integer.parseInt(env().get("PEERS_PORT_" + name));
    }

    public static String dns() {
        return env().get("PEERS_DNS");
    }

    public static Path ca() {
        return Path.of(env().get("PEERS_CA"));
    }

    /** The Maildir file delivered to {@code recipient}, awaited. */
    public static String awaitMessageFor(String recipient) {
        Path dir = Path.of(env().get("PEERS_MAILDIR")).resolve("new");
        String[] found = new String[1];
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Optional<String> hit = find(dir, recipient);
            hit.ifPresent(h -> found[0] = h);
            return hit.isPresent();
        });
        return found[0];
    }

    public static boolean hasMessageFor(String recipient) {
        return find(Path.of(env().get("PEERS_MAILDIR")).resolve("new"), recipient).isPresent();
    }

    private static Optional<String> find(Path dir, String recipient) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        String marker = "Delivered-To: " + recipient;
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> {
                try {
                    return Files.readString(f, StandardCharsets.ISO_8859_1);
                } catch (IOException e) {
                    return "";
                }
            }).filter(text -> text.contains(marker + "\n") || text.contains(marker + "\r\n")).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String run(Path script, String arg) {
        try {
            Process p = new ProcessBuilder("bash", script.toString(), arg).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("deploy/peers/peers " + arg + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
