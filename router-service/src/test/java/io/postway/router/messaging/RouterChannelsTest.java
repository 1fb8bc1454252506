package io.postway.router.messaging;

import io.postway.contract.Topics;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The channel names in the annotations (constants) are the contract's names for the topics. */
class RouterChannelsTest {

    @Test
    void channelsAreNamedAfterTheirTopicsAsTheContractSays() {
        assertEquals(Topics.channel(Topics.SUBMITTED), RouterChannels.SUBMITTED);
        assertEquals(Topics.channel(Topics.DEFERRED), RouterChannels.DEFERRED);
    }
}
