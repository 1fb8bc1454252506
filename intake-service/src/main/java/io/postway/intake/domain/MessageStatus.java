package io.postway.intake.domain;

import java.util.List;

/** A submitted message's recipients, each with its latest delivery event (the contract's {@code data}, as JSON). */
public record MessageStatus(String messageId, List<Recipient> recipients) {

    public MessageStatus {
        recipients = List.copyOf(recipients);
    }

    public record Recipient(String address, String status, int attempts, String lastEventJson) {
    }
}
