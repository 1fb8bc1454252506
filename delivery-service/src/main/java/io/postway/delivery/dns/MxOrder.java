package io.postway.delivery.dns;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** RFC 5321 5.1: MX hosts in preference order, equal preferences in random order (load spreading). */
public final class MxOrder {

    private MxOrder() {
    }

    /** True when the answer is a null MX (RFC 7505): the domain accepts no mail. */
    public static boolean isNullMx(List<MxRecord> records) {
        return records.size() == 1 && records.get(0).isNull();
    }

    public static List<String> hosts(List<MxRecord> records, Random random) {
        Map<Integer, List<String>> byPreference = new LinkedHashMap<>();
        records.stream()
                .filter(r -> !r.isNull())
                .sorted(Comparator.comparingInt(MxRecord::preference))
                .forEach(r -> byPreference.computeIfAbsent(r.preference(), p -> new ArrayList<>()).add(r.host().toLowerCase()));
        List<String> ordered = new ArrayList<>();
        for (List<String> group : byPreference.values()) {
            Collections.shuffle(group, random);
            for (String h : group) {
                if (!ordered.contains(h)) {
                    ordered.add(h);
                }
            }
        }
        return ordered;
    }
}
