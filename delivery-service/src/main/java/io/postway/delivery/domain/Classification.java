package io.postway.delivery.domain;

/**
 * Bounce or defer: 2xx delivers, a 5xx reply to the envelope or the message bounces (with its
 * enhanced code), everything else (4xx, timeouts, connections, TLS, AUTH) is deferred to the
 * router, which retries until the policy's {@code expireAfter}.
 */
public final class Classification {

    private Classification() {
    }

    public static Outcome of(SessionFailure failure) {
        return switch (failure.kind()) {
            case NULL_MX, NO_SUCH_DOMAIN, NO_ADDRESS, MESSAGE_NOT_7BIT -> Outcome.BOUNCED;
            case REPLY -> ofReply(failure.stage(), failure.reply());
            default -> Outcome.DEFERRED;
        };
    }

    public static Outcome ofReply(Stage stage, SmtpReply reply) {
        if (reply.positive()) {
            return Outcome.DELIVERED;
        }
        if (reply.transientFailure()) {
            return Outcome.DEFERRED;
        }
        // A 5xx to the session itself (greeting, EHLO) says nothing final about the recipient:
        // Postfix treats it as "try later / another host", so do we.
        boolean envelopeOrContent = stage == Stage.MAIL || stage == Stage.RCPT || stage == Stage.DATA;
        return envelopeOrContent ? Outcome.BOUNCED : Outcome.DEFERRED;
    }

    /**
     * 530 5.7.0 "Must issue a STARTTLS command first" is a mismatch between our policy and the
     * receiver's, not a verdict on the recipient: it is deferred with a diagnosis to fix the policy.
     */
    public static boolean isTlsRequiredByRemote(SmtpReply reply, boolean tlsUsed) {
        return !tlsUsed && reply.code() == 530
                && ("5.7.0".equals(reply.enhancedCode()) || reply.text().toUpperCase().contains("STARTTLS"));
    }
}
