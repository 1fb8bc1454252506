package io.postway.delivery.domain;

/**
 * What delivery decides for one recipient. EXPIRED is the router's verdict (a deferral that
 * outlived {@code retry.expireAfter}); delivery never produces it.
 */
public enum Outcome {
    DELIVERED("postway.delivery.delivered"),
    DEFERRED("postway.delivery.deferred"),
    BOUNCED("postway.delivery.bounced");

    private final String eventType;

    Outcome(String eventType) {
        this.eventType = eventType;
    }

    public String eventType() {
        return eventType;
    }
}
