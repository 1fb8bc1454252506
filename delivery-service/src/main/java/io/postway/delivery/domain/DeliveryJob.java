package io.postway.delivery.domain;

import io.postway.contract.OutboundKey.Slot;
import io.postway.contract.policy.EffectivePolicy;

import java.util.List;

/**
 * One job as delivery works on it: a message (exact bytes) to the recipients of one domain, under
 * one policy; {@code slot} is the share of the destination's connections its jobs may hold
 * (io.postway.contract.OutboundKey: a hot domain is split over several workers).
 */
public record DeliveryJob(String messageId, String domain, String from, List<String> recipients, int attempt,
                          EffectivePolicy policy, byte[] content, Slot slot) {

    /** A job outside any split: the whole of {@code maxConnections}. */
    public DeliveryJob(String messageId, String domain, String from, List<String> recipients, int attempt,
                       EffectivePolicy policy, byte[] content) {
        this(messageId, domain, from, recipients, attempt, policy, content, Slot.WHOLE);
    }
}
