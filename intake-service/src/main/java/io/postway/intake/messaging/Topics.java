package io.postway.intake.messaging;

/** Topic and channel names (channel = topic with '.' as '-'; see deploy/docs/messages.md). The intake writes with its own producers (MailPublisher), so only the incoming channel has a name. */
public final class Topics {

    public static final String MAIL_SUBMITTED = "mail.submitted";
    public static final String MAIL_DELIVERY_EVENTS = "mail.delivery-events";

    /** Incoming: the delivery events the status projection reads. */
    public static final String MAIL_DELIVERY_EVENTS_CHANNEL = "mail-delivery-events";

    private Topics() {
    }
}
