package io.postway.delivery.messaging;

import io.postway.delivery.config.DeliveryConfig;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ShutdownDrainTest {

    @Test
    void afterShutdownBeginsNewJobsAreHandedBackUncommitted() {
        DeliveryConfig config = (DeliveryConfig) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{DeliveryConfig.class},
                (proxy, method, args) -> method.getName().equals("drainTimeout") ? Duration.ofMillis(100)
                        : method.getName().equals("maxInFlight") ? 64 : method.getName().equals("instance") ? Optional.of("t") : null);
        OutboundJobConsumer consumer = new OutboundJobConsumer(null, config, null, null, HandledJobsTest.inMemory());
        consumer.onStop(null);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> consumer.onJob(java.util.Map.of(), "{}".getBytes(), null));
        assertEquals("shutting down; job handed back", e.getMessage());
        assertEquals(0, consumer.inFlight());
    }

    @Test
    void unreadableJobsAreDroppedInsteadOfStoppingTheChannel() {
        DeliveryConfig config = (DeliveryConfig) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{DeliveryConfig.class},
                (proxy, method, args) -> method.getName().equals("maxInFlight") ? 64
                        : method.getName().equals("instance") ? Optional.of("t") : null);
        OutboundJobConsumer consumer = new OutboundJobConsumer(null, config, null, null, HandledJobsTest.inMemory());
        assertDoesNotThrow(() -> consumer.onJob(java.util.Map.of(), "not json".getBytes(), null));
        assertDoesNotThrow(() -> consumer.onJob(java.util.Map.of(), "{\"messageId\":\"m\",\"recipients\":[\"a@b\"],\"content\":\"%%%\"}".getBytes(), null));
        assertEquals(0, consumer.inFlight());
    }
}
