package io.postway.delivery.messaging;

import io.postway.contract.Topics;

/**
 * The SmallRye channels of delivery's topics, named {@link Topics#channel} of the contract's topic
 * (annotations need constants; ChannelsTest holds them to the contract and to application.properties).
 * The job outputs have no channel: they go through one plain producer ({@link KafkaOutputs}).
 */
final class Channels {

    static final String OUTBOUND = "mail-outbound";

    private Channels() {
    }
}
