package io.postway.delivery.messaging;

import io.postway.contract.Topics;

/**
 * The SmallRye channels of delivery's topics, named {@link Topics#channel} of the contract's topic
 * (annotations need constants; ChannelsTest holds them to the contract and to application.properties).
 */
final class Channels {

    static final String OUTBOUND = "mail-outbound";
    static final String DEFERRED = "mail-deferred";
    static final String DELIVERY_EVENTS = "mail-delivery-events";
    static final String OUTBOUND_HANDLED = "mail-outbound-handled";

    private Channels() {
    }
}
