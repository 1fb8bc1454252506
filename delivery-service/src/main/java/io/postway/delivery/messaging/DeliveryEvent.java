package io.postway.delivery.messaging;

import java.time.Instant;
import java.util.List;

/** A CloudEvents 1.0 structured-JSON envelope on {@code mail.delivery-events}, key = messageId. */
public record DeliveryEvent(String specversion, String id, String source, String type, Instant time, String subject,
                            String datacontenttype, Data data) {

    public record Data(String messageId, String recipient, String domain, String status, int attempt, Smtp smtp,
                       Remote remote, Tls tls, Policy policy, String diagnosis, Instant nextAttemptAt,
                       Instant submittedAt, Instant at, List<String> transcript) {
    }

    public record Smtp(Integer code, String enhancedCode, String text, String stage) {
    }

    public record Remote(String host, String ip, Integer port, String via) {
    }

    public record Tls(boolean used, String protocol, String cipher, Boolean verified, String peerSubject,
                      String peerIssuer, Instant peerNotAfter, boolean fellBackToPlaintext) {
    }

    public record Policy(String rule, long version, String tlsMode, String verify, String minVersion, String maxVersion) {
    }
}
