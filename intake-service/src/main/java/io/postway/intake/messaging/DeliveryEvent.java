package io.postway.intake.messaging;

import java.time.Instant;
import java.util.List;

/** A CloudEvents 1.0 structured-mode delivery event on {@code mail.delivery-events} (CONTRACT.md). */
public record DeliveryEvent(String specversion, String id, String source, String type, Instant time,
                            String subject, String datacontenttype, Data data) {

    public static final String ACCEPTED = "postway.message.accepted";

    public record Data(String messageId, String recipient, String domain, String status, Integer attempt,
                       Smtp smtp, Remote remote, Tls tls, Policy policy, String diagnosis,
                       Instant nextAttemptAt, Instant submittedAt, Instant at, List<String> transcript) {
    }

    public record Smtp(Integer code, String enhancedCode, String text, String stage) {
    }

    public record Remote(String host, String ip, Integer port, String via) {
    }

    public record Tls(Boolean used, String protocol, String cipher, Boolean verified, String peerSubject,
                      String peerIssuer, Instant peerNotAfter, Boolean fellBackToPlaintext) {
    }

    public record Policy(String rule, Integer version, String tlsMode, String verify, String minVersion,
                         String maxVersion) {
    }
}
