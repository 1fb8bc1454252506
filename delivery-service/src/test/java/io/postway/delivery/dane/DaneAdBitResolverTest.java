package io.postway.delivery.dane;

import io.postway.delivery.smtp.DeliveryHarness;

/** DANE trusting the AD bit of the validating unbound peer. */
class DaneAdBitResolverTest extends DaneDeliveryPeersTest {

    @Override
    DeliveryHarness harness() {
        return adBit();
    }
}
