package io.postway.delivery.domain;

import io.postway.contract.policy.EffectivePolicy;

import java.util.List;

/** One job as delivery works on it: a message (exact bytes) to the recipients of one domain, under one policy. */
public record DeliveryJob(String messageId, String domain, String from, List<String> recipients, int attempt,
                          EffectivePolicy policy, byte[] content) {
}
