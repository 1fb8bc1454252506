package io.postway.delivery.infra;

import io.postway.delivery.domain.SessionFailure.Kind;
import io.postway.delivery.domain.Stage;

import java.nio.channels.ClosedChannelException;

/** Maps the JDK's handshake exceptions onto the failure kinds the diagnoses are written for. */
final class TlsFailures {

    private TlsFailures() {
    }

    static SmtpFailureException classify(Throwable t, boolean closedMeanwhile) {
        String chain = describe(t);
        String lower = chain.toLowerCase();
        if (lower.contains("protocol_version") || lower.contains("not accepted by client preferences")
                || lower.contains("client requested protocol") || lower.contains("unsupported protocol")) {
            return new SmtpFailureException(Kind.TLS_PROTOCOL_VERSION, Stage.TLS_HANDSHAKE, null, chain);
        }
        if (closedMeanwhile || hasCause(t, ClosedChannelException.class)
                || lower.contains("remote host terminated the handshake") || lower.contains("connection reset")
                || lower.contains("closed")) {
            return new SmtpFailureException(Kind.TLS_PEER_CLOSED, Stage.TLS_HANDSHAKE, null, chain);
        }
        return new SmtpFailureException(Kind.TLS_HANDSHAKE, Stage.TLS_HANDSHAKE, null, chain);
    }

    static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null && sb.length() < 300; c = c.getCause()) {
            if (!sb.isEmpty()) {
                sb.append("; ");
            }
            sb.append(c.getClass().getSimpleName());
            if (c.getMessage() != null) {
                sb.append(": ").append(c.getMessage());
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return sb.toString();
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
