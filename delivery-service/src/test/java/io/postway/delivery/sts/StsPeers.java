package io.postway.delivery.sts;

import io.postway.delivery.smtp.Peers;
import io.postway.testkit.LocalInfra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The MTA-STS test peers ({@code deploy/peers/peers sts-start}, idempotent): dnsmasq on :5354 for
 * {@code *.sts.test} (peer.test forwarded to the shared peers) and nginx on 127.0.3.1:443 serving
 * the policies, with their own test CA ({@code STS_PEERS_TRUST} = the Postfix peers' CA + it).
 */
final class StsPeers {

    private static Map<String, String> env;

    private StsPeers() {
    }

    static synchronized Map<String, String> env() {
        if (env == null) {
            Peers.env(); // the shared Postfix peers and their CA first
            Path script = LocalInfra.repositoryRoot().resolve("deploy/peers/peers");
            run(script, "sts-start");
            Map<String, String> values = new HashMap<>();
            for (String line : run(script, "sts-env").split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim().replaceAll("^['\"]|['\"]$", ""));
                }
            }
            env = values;
        }
        return env;
    }

    static String dns() {
        return env().get("STS_PEERS_DNS");
    }

    /** The Postfix peers' CA and the MTA-STS peers' CA in one PEM file (delivery's POSTWAY_TLS_TRUST). */
    static Path trust() {
        return Path.of(env().get("STS_PEERS_TRUST"));
    }

    private static String run(Path script, String arg) {
        try {
            Process p = new ProcessBuilder("bash", script.toString(), arg).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("deploy/peers/peers " + arg + " failed: " + out);
            }
            return out.lines().filter(l -> !l.startsWith("sts-peers:")).reduce("", (a, b) -> a + b + "\n");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
