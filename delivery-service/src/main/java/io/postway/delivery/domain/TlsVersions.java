package io.postway.delivery.domain;

import java.util.List;

/** The protocol names of the policy's {@code minVersion}..{@code maxVersion}, as the JDK spells them. */
public final class TlsVersions {

    public static final List<String> ALL = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

    private TlsVersions() {
    }

    public static List<String> between(String min, String max) {
        int from = indexOf(min == null ? "TLSv1.2" : min);
        int to = indexOf(max == null ? "TLSv1.3" : max);
        if (from > to) {
            throw new IllegalArgumentException("minVersion " + min + " is above maxVersion " + max);
        }
        return ALL.subList(from, to + 1);
    }

    /** True when the range includes a version the JDK disables by default (TLSv1, TLSv1.1). */
    public static boolean needsLegacy(String min, String max) {
        return between(min, max).stream().anyMatch(v -> v.equals("TLSv1") || v.equals("TLSv1.1"));
    }

    public static String label(String min, String max) {
        List<String> range = between(min, max);
        return range.size() == 1 ? range.get(0) : range.get(0) + "-" + range.get(range.size() - 1);
    }

    private static int indexOf(String version) {
        int i = ALL.indexOf(version);
        if (i < 0) {
            throw new IllegalArgumentException("unknown TLS version " + version);
        }
        return i;
    }
}
