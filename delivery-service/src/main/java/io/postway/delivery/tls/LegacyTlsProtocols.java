package io.postway.delivery.tls;

import java.security.Security;

/**
 * The JDK disables TLSv1 and TLSv1.1 for everyone (jdk.tls.disabledAlgorithms). Removing them from
 * that list only makes them possible: a session still offers only the versions of its policy.
 */
public final class LegacyTlsProtocols {

    private LegacyTlsProtocols() {
    }

    /** Must run before the JDK's TLS stack first loads ({@code postway.delivery.tls.allow-legacy-protocols}). */
    public static void allowWherePolicyAsks() {
        String disabled = Security.getProperty("jdk.tls.disabledAlgorithms");
        if (disabled == null) {
            return;
        }
        StringBuilder kept = new StringBuilder();
        for (String item : disabled.split(",")) {
            String t = item.strip();
            if (t.equals("TLSv1") || t.equals("TLSv1.1")) {
                continue;
            }
            if (!kept.isEmpty()) {
                kept.append(", ");
            }
            kept.append(t);
        }
        Security.setProperty("jdk.tls.disabledAlgorithms", kept.toString());
    }
}
