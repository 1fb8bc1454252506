package io.postway.policy.domain;

import io.postway.contract.policy.Domains;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code host[:port]} for {@code route.smartHost}: a host name (in the contract's canonical
 * form, {@link Domains}; one label is enough, a relay may be {@code localhost}), an IPv4 address or
 * {@code [IPv6]}.
 */
public final class SmartHost {

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern BRACKETED = Pattern.compile("\\[([0-9A-Fa-f:.]+)](?::(\\d{1,5}))?");

    private SmartHost() {
    }

    /** The canonical form (lower-case, A-labels), or empty when it is not {@code host[:port]}. */
    public static Optional<String> normalize(String raw) {
        if (raw == null || raw.isBlank() || raw.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
            return Optional.empty();
        }
        Matcher m = BRACKETED.matcher(raw);
        if (m.matches()) {
            if (!m.group(1).contains(":") || (m.group(2) != null && !validPort(m.group(2)))) {
                return Optional.empty();
            }
            return Optional.of(raw.toLowerCase(java.util.Locale.ROOT));
        }
        String host = raw;
        String port = null;
        int colon = raw.lastIndexOf(':');
        if (colon >= 0) {
            host = raw.substring(0, colon);
            port = raw.substring(colon + 1);
            if (!validPort(port)) {
                return Optional.empty();
            }
        }
        String suffix = port == null ? "" : ":" + Integer.parseInt(port);
        if (IPV4.matcher(host).matches()) {
            return Optional.of(host + suffix);
        }
        return Optional.ofNullable(Domains.parse(host, 1).domain()).map(h -> h + suffix);
    }

    private static boolean validPort(String port) {
        if (!port.matches("\\d{1,5}")) {
            return false;
        }
        int p = Integer.parseInt(port);
        return p >= 1 && p <= 65535;
    }
}
