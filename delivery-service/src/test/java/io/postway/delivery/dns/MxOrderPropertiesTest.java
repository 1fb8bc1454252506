package io.postway.delivery.dns;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MxOrderPropertiesTest {

    @Property
    boolean hostsComeInNonDecreasingPreference(@ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 30) Integer> prefs,
                                               @ForAll long seed) {
        List<MxRecord> records = new ArrayList<>();
        for (int i = 0; i < prefs.size(); i++) {
            records.add(new MxRecord(prefs.get(i), "mx" + i + ".example."));
        }
        List<String> hosts = MxOrder.hosts(records, new Random(seed));
        if (hosts.size() != records.size()) {
            return false;
        }
        int last = -1;
        for (String h : hosts) {
            int pref = prefs.get(Integer.parseInt(h.substring(2, h.indexOf('.'))));
            if (pref < last) {
                return false;
            }
            last = pref;
        }
        return true;
    }

    @Test
    void equalPreferencesAreShuffled() {
        List<MxRecord> records = List.of(new MxRecord(10, "a.test"), new MxRecord(10, "b.test"), new MxRecord(20, "c.test"));
        Set<String> firsts = new HashSet<>();
        Random random = new Random(42);
        for (int i = 0; i < 50; i++) {
            List<String> hosts = MxOrder.hosts(records, random);
            firsts.add(hosts.get(0));
            assertEquals("c.test", hosts.get(2));
        }
        assertEquals(Set.of("a.test", "b.test"), firsts);
    }

    @Test
    void aSingleRootMxIsANullMx() {
        assertTrue(MxOrder.isNullMx(List.of(new MxRecord(0, "."))));
        assertTrue(MxOrder.isNullMx(List.of(new MxRecord(0, ""))));
        assertFalse(MxOrder.isNullMx(List.of(new MxRecord(0, "mx.test"))));
    }
}
