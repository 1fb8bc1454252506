package io.postway.delivery.infra;

import io.postway.delivery.domain.TlsVersions;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;

import java.security.Security;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Vert.x {@link NetClient} per TLS version range (and implicit TLS), shared by all pools.
 * Each offers exactly the versions its policies allow, so TLSv1/TLSv1.1 go only to domains whose
 * policy names them. The handshake trusts any certificate: {@link PeerCertificateCheck} decides
 * afterwards, so that OPPORTUNISTIC sessions can report what REQUIRED ones enforce.
 */
final class TlsClients {

    private final Vertx vertx;
    private final int connectTimeoutMs;
    private final Map<String, NetClient> clients = new ConcurrentHashMap<>();

    TlsClients(Vertx vertx, int connectTimeoutMs) {
        this.vertx = vertx;
        this.connectTimeoutMs = connectTimeoutMs;
    }

    /**
     * The JDK disables TLSv1 and TLSv1.1 for everyone (jdk.tls.disabledAlgorithms). Removing them
     * from that list only makes them possible: a connection still offers only the versions its
     * client was given, i.e. those of the policy. Must run before the JDK's TLS stack first loads.
     */
    static void allowLegacyProtocolsWherePolicyAsks() {
        String disabled = Security.getProperty("jdk.tls.disabledAlgorithms");
        if (disabled == null) {
            return;
        }
        StringBuilder kept = new StringBuilder();
        for (String item : disabled.split(",")) {
            String t = item.strip();
            if (t.equals("TLSv1") || t.equals("TLSv1.1")) {
                continue;
            }
            if (!kept.isEmpty()) {
                kept.append(", ");
            }
            kept.append(t);
        }
        Security.setProperty("jdk.tls.disabledAlgorithms", kept.toString());
    }

    NetClient client(String minVersion, String maxVersion, boolean implicitTls) {
        var versions = TlsVersions.between(minVersion, maxVersion);
        String key = versions + "|" + implicitTls;
        return clients.computeIfAbsent(key, k -> {
            NetClientOptions options = new NetClientOptions()
                    .setConnectTimeout(connectTimeoutMs)
                    .setTcpNoDelay(true)
                    .setSsl(implicitTls)
                    .setTrustAll(true)
                    .setHostnameVerificationAlgorithm("")
                    .setEnabledSecureTransportProtocols(new LinkedHashSet<>(versions));
            return vertx.createNetClient(options);
        });
    }

    void close() {
        clients.values().forEach(NetClient::close);
        clients.clear();
    }
}
