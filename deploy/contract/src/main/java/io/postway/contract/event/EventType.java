package io.postway.contract.event;

import java.util.Arrays;
import java.util.Optional;

/**
 * The closed set of delivery-event types on {@code mail.delivery-events} (the CloudEvents {@code
 * type}) and the recipient status each one reports. Every recipient starts with ACCEPTED and ends in
 * exactly one of DELIVERED, BOUNCED or EXPIRED; DEFERRED may come in between, once per attempt.
 */
public enum EventType {
    /** intake: the message is durably accepted (attempt 0). */
    ACCEPTED("postway.message.accepted"),
    /** delivery: the remote server took the recipient. */
    DELIVERED("postway.delivery.delivered"),
    /** delivery (or the router, failing closed): not this time; {@code nextAttemptAt} says when. */
    DEFERRED("postway.delivery.deferred"),
    /** delivery (permanent refusal) or the router (deleted by an admin, unroutable domain). */
    BOUNCED("postway.delivery.bounced"),
    /** the router: the message outlived its policy's {@code retry.expireAfter}. */
    EXPIRED("postway.delivery.expired");

    private final String type;

    EventType(String type) {
        this.type = type;
    }

    /** The CloudEvents {@code type} attribute. */
    public String type() {
        return type;
    }

    /** The recipient status the event reports ({@code data.status}): the constant's name. */
    public String status() {
        return name();
    }

    /** Whether the recipient's story ends with this event. */
    public boolean terminal() {
        return this == DELIVERED || this == BOUNCED || this == EXPIRED;
    }

    public static Optional<EventType> fromType(String type) {
        return Arrays.stream(values()).filter(t -> t.type.equals(type)).findFirst();
    }
}
