package io.postway.delivery.messaging;

import io.postway.delivery.domain.DeliveryPolicy;

import java.time.Instant;
import java.util.List;

/** {@code mail.outbound} (router → delivery), key = recipient domain. Delivery's own copy of the wire format. */
public record OutboundJob(String jobId, String messageId, String domain, String from, List<String> recipients,
                          int attempt, Instant submittedAt, String content, DeliveryPolicy policy) {
}
