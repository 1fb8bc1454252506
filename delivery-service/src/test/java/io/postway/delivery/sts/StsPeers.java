package io.postway.delivery.sts;

import io.postway.delivery.smtp.Peers;

import java.nio.file.Path;
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
            env = Peers.startAndRead("sts-start", "sts-env");
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
}
