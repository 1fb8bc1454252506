package io.postway.delivery.infra;

import io.postway.delivery.domain.Transcript;

import java.util.Set;

/** An established session (greeted, EHLO done, TLS and AUTH as the policy asks), ready for mail transactions. */
final class SmtpSession {

    final SmtpConnection connection;
    final RemoteEndpoint remote;
    final Set<String> capabilities;
    final TlsReport tls;
    final Transcript setupTranscript;
    int messagesSent;
    boolean used;
    long idleSince = System.nanoTime();

    SmtpSession(SmtpConnection connection, RemoteEndpoint remote, Set<String> capabilities, TlsReport tls, Transcript setupTranscript) {
        this.connection = connection;
        this.remote = remote;
        this.capabilities = capabilities;
        this.tls = tls;
        this.setupTranscript = setupTranscript;
    }

    boolean offers(String keyword) {
        return capabilities.contains(keyword);
    }

    /** The SIZE limit the server announced, 0 when none. */
    long sizeLimit() {
        for (String c : capabilities) {
            if (c.startsWith("SIZE ")) {
                try {
                    return Long.parseLong(c.substring(5).strip());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }
}
