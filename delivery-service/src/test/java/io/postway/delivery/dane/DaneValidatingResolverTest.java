package io.postway.delivery.dane;

import io.postway.delivery.smtp.DeliveryHarness;

/** DANE with dnsjava's ValidatingResolver over the authoritative server, from the test zones' trust anchors. */
class DaneValidatingResolverTest extends DaneDeliveryPeersTest {

    @Override
    DeliveryHarness harness() {
        return validating();
    }
}
