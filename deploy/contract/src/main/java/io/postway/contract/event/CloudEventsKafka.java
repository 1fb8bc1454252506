package io.postway.contract.event;

import java.nio.charset.StandardCharsets;

/**
 * Postway follows the CloudEvents Kafka protocol binding 1.0 in <em>structured</em> content mode:
 * the record value is the whole event as JSON (so a consumer that knows nothing of CloudEvents still
 * sees every attribute), the record key is the messageId (the binding's partitioning key), and the
 * header {@code content-type} says {@code application/cloudevents+json; charset=UTF-8} so a
 * CloudEvents SDK ({@code io.cloudevents.kafka.CloudEventDeserializer}) reads it as an event.
 */
public final class CloudEventsKafka {

    public static final String CONTENT_TYPE_HEADER = "content-type";
    public static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";

    private static final byte[] STRUCTURED_CONTENT_TYPE_BYTES = STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8);

    private CloudEventsKafka() {
    }

    /** The header value to put on every record of {@code mail.delivery-events} (a fresh copy each call). */
    public static byte[] contentTypeHeaderValue() {
        return STRUCTURED_CONTENT_TYPE_BYTES.clone();
    }
}
