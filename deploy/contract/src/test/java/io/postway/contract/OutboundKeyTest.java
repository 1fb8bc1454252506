package io.postway.contract;

import io.postway.contract.OutboundKey.Slot;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboundKeyTest {

    @Test
    void aDomainAllowedOneConnectionKeepsThePlainDomainAsKey() {
        assertEquals("fabrikam.com", OutboundKey.of("fabrikam.com", UUID.randomUUID().toString(), 1));
        assertEquals(Slot.WHOLE, OutboundKey.slotOf("any", 1));
    }

    @Test
    void aHotDomainIsSplitIntoAtMostMaxSlotsAndTheJobIdPicksTheSlotStably() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            String jobId = UUID.nameUUIDFromBytes(("job" + i).getBytes()).toString();
            String key = OutboundKey.of("fabrikam.com", jobId, 20);
            assertEquals(key, OutboundKey.of("fabrikam.com", jobId, 20), "the same job, the same key (replays stay on one partition)");
            Slot slot = OutboundKey.slotOf(jobId, 20);
            assertEquals("fabrikam.com#" + slot.index() + "/" + OutboundKey.MAX_SLOTS, key);
            assertEquals("fabrikam.com", OutboundKey.domainOf(key));
            keys.add(key);
        }
        assertEquals(OutboundKey.MAX_SLOTS, keys.size(), "every slot is used");
        assertEquals(3, OutboundKey.slots(3), "no more slots than connections");
    }

    @Test
    void theSharesOfAllSlotsAddUpToExactlyMaxConnectionsAndEachHasOne() {
        for (int max = 1; max <= 100; max++) {
            int slots = OutboundKey.slots(max);
            int sum = 0;
            for (int s = 0; s < slots; s++) {
                int share = new Slot(s, slots).share(max);
                assertTrue(share >= 1, "slot " + s + " of max " + max);
                sum += share;
            }
            assertEquals(max, sum, "maxConnections " + max);
        }
    }

    @Test
    void aSlotOutsideItsRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Slot(3, 3));
        assertThrows(IllegalArgumentException.class, () -> new Slot(0, 0));
    }
}
