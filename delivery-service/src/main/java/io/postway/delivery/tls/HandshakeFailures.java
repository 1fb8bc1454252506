package io.postway.delivery.tls;

import io.postway.delivery.domain.ErrorChain;
import io.postway.delivery.domain.SessionFailure.Kind;
import io.postway.delivery.domain.SessionFailure;
import io.postway.delivery.domain.Stage;

import java.nio.channels.ClosedChannelException;

/** Maps the JDK's handshake exceptions onto the failure kinds the diagnoses are written for. */
public final class HandshakeFailures {

    private HandshakeFailures() {
    }

    /** The failure of a handshake with {@code host} that ended in {@code t}; {@code closedMeanwhile}: the peer closed the connection. */
    public static SessionFailure classify(Throwable t, boolean closedMeanwhile, String host) {
        String chain = ErrorChain.describe(t);
        String lower = chain.toLowerCase();
        if (lower.contains("protocol_version") || lower.contains("not accepted by client preferences")
                || lower.contains("client requested protocol") || lower.contains("unsupported protocol")) {
            return SessionFailure.of(Kind.TLS_PROTOCOL_VERSION, Stage.TLS_HANDSHAKE, host, chain);
        }
        if (closedMeanwhile || hasCause(t, ClosedChannelException.class)
                || lower.contains("remote host terminated the handshake") || lower.contains("connection reset")
                || lower.contains("closed")) {
            return SessionFailure.of(Kind.TLS_PEER_CLOSED, Stage.TLS_HANDSHAKE, host, chain);
        }
        return SessionFailure.of(Kind.TLS_HANDSHAKE, Stage.TLS_HANDSHAKE, host, chain);
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }
}
