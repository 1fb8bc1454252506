package io.postway.intake.messaging;

/** Topic and channel names (channel = topic with '.' as '-'; see deploy/docs/messages.md). */
public final class Topics {

    public static final String MAIL_SUBMITTED = "mail.submitted";
    public static final String MAIL_DELIVERY_EVENTS = "mail.delivery-events";

    /** Outgoing: accepted messages. */
    public static final String MAIL_SUBMITTED_CHANNEL = "mail-submitted";
    /** Incoming: the delivery events the status projection reads. */
    public static final String MAIL_DELIVERY_EVENTS_CHANNEL = "mail-delivery-events";
    /**
     * Outgoing: the intake's own {@code postway.message.accepted} events, same topic. A second name
     * because SmallRye would otherwise wire the emitter straight into the incoming channel.
     */
    public static final String MAIL_DELIVERY_EVENTS_OUT_CHANNEL = "mail-delivery-events-out";

    private Topics() {
    }
}
