package io.postway.delivery.tls;

import java.util.List;
import java.util.Locale;

/**
 * RFC 6125 name checking for verify HOSTNAME: the certificate's DNS names (a wildcard only as the
 * whole left-most label) or, for an IP literal, its IP addresses. The subject CN counts only when
 * the certificate has no DNS names at all.
 */
public final class HostnameMatch {

    private HostnameMatch() {
    }

    public static boolean matches(String host, List<String> dnsNames, List<String> ipAddresses, String subjectCn) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (isIpLiteral(h)) {
            return ipAddresses.stream().anyMatch(ip -> ip.equalsIgnoreCase(host));
        }
        List<String> names = dnsNames.isEmpty() && subjectCn != null ? List.of(subjectCn) : dnsNames;
        for (String name : names) {
            if (nameMatches(h, name.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    static boolean nameMatches(String host, String pattern) {
        if (pattern.startsWith("*.")) {
            int dot = host.indexOf('.');
            return dot > 0 && host.substring(dot + 1).equals(pattern.substring(2)) && pattern.length() > 2;
        }
        return host.equals(pattern);
    }

    public static boolean isIpLiteral(String host) {
        return host.matches("\\d{1,3}(\\.\\d{1,3}){3}") || host.contains(":");
    }
}
