package io.postway.delivery.domain;

import io.postway.contract.event.EventType;

/**
 * What delivery decides for one recipient. EXPIRED is the router's verdict (a deferral that
 * outlived {@code retry.expireAfter}); delivery never produces it.
 */
public enum Outcome {
    DELIVERED(EventType.DELIVERED),
    DEFERRED(EventType.DEFERRED),
    BOUNCED(EventType.BOUNCED);

    private final EventType eventType;

    Outcome(EventType eventType) {
        this.eventType = eventType;
    }

    /** The contract's event type that reports this outcome. */
    public EventType eventType() {
        return eventType;
    }
}
