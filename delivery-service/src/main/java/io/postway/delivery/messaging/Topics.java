package io.postway.delivery.messaging;

/** Channel names (topic names with '.' replaced by '-', see deploy/docs/messages.md). */
public final class Topics {
    public static final String OUTBOUND = "mail-outbound";
    public static final String DEFERRED = "mail-deferred";
    public static final String DELIVERY_EVENTS = "mail-delivery-events";

    private Topics() {
    }
}
