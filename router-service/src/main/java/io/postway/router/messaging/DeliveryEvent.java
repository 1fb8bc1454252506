package io.postway.router.messaging;

import java.time.Instant;
import java.util.List;

/**
 * A CloudEvents 1.0 structured-JSON event on {@code mail.delivery-events} (contract "Delivery
 * events"), key = messageId. The router fills only what it knows: no SMTP session took place,
 * so {@code smtp}, {@code remote} and {@code tls} carry no values.
 */
public record DeliveryEvent(String specversion, String id, String source, String type, Instant time, String subject,
                            String datacontenttype, Data data) {

    public static final String DEFERRED = "postway.delivery.deferred";
    public static final String BOUNCED = "postway.delivery.bounced";
    public static final String EXPIRED = "postway.delivery.expired";

    public record Data(String messageId, String recipient, String domain, String status, int attempt,
                       Smtp smtp, Remote remote, Tls tls, Policy policy, String diagnosis, Instant nextAttemptAt,
                       Instant submittedAt, Instant at, List<String> transcript) {
    }

    public record Smtp(Integer code, String enhancedCode, String text, String stage) {
        public static final Smtp NONE = new Smtp(null, null, null, null);
    }

    public record Remote(String host, String ip, Integer port, String via) {
        public static final Remote NONE = new Remote(null, null, null, null);
    }

    public record Tls(boolean used, String protocol, String cipher, Boolean verified, String peerSubject,
                      String peerIssuer, Instant peerNotAfter, boolean fellBackToPlaintext) {
        public static final Tls NONE = new Tls(false, null, null, null, null, null, null, false);
    }

    public record Policy(String rule, long version, String tlsMode, String verify, String minVersion, String maxVersion) {
    }
}
