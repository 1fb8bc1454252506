package io.postway.contract.policy;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A policy's {@code route.smartHost}, {@code host[:port]}: a host name (in the canonical form of
 * {@link Domains}; one label is enough, a relay may be {@code localhost}), an IPv4 address or an
 * IPv6 address in brackets ({@code [::1]:25}). The one parser: policy-service validates and stores
 * the {@link #canonical()} form, delivery connects to {@link #host()} on {@link #port(int)}.
 *
 * @param host the name or address to connect to (an IPv6 address without its brackets)
 * @param port the port written in the value, or {@code null}: then the policy's {@code route.port}
 */
public record SmartHost(String host, Integer port) {

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern BRACKETED = Pattern.compile("\\[([0-9A-Fa-f:.]+)](?::(\\d{1,5}))?");

    /** The smart host written in {@code raw}, or empty when it is not {@code host[:port]}. */
    public static Optional<SmartHost> parse(String raw) {
        if (raw == null || raw.isBlank() || raw.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
            return Optional.empty();
        }
        Matcher m = BRACKETED.matcher(raw);
        if (m.matches()) {
            if (!m.group(1).contains(":")) {
                return Optional.empty();
            }
            return port(m.group(2)).map(p -> new SmartHost(m.group(1).toLowerCase(Locale.ROOT), p.orElse(null)));
        }
        String host = raw;
        String port = null;
        int colon = raw.lastIndexOf(':');
        if (colon >= 0) {
            host = raw.substring(0, colon);
            port = raw.substring(colon + 1);
        }
        String name = host;
        return port(port).flatMap(p -> {
            if (IPV4.matcher(name).matches()) {
                return Optional.of(new SmartHost(name, p.orElse(null)));
            }
            return Optional.ofNullable(Domains.parse(name, 1).domain()).map(d -> new SmartHost(d, p.orElse(null)));
        });
    }

    /** The canonical form of a smart host value (lower-case, A-labels, port without leading zeros), or empty. */
    public static Optional<String> normalize(String raw) {
        return parse(raw).map(SmartHost::canonical);
    }

    /** The port to connect to: the one written in the value, else the policy's {@code route.port}. */
    public int port(int routePort) {
        return port != null ? port : routePort;
    }

    /** {@code host[:port]} as stored and published. */
    public String canonical() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return port == null ? h : h + ":" + port;
    }

    /** Absent: no port written; empty: not a port 1-65535. */
    private static Optional<Optional<Integer>> port(String digits) {
        if (digits == null) {
            return Optional.of(Optional.empty());
        }
        if (!digits.matches("\\d{1,5}")) {
            return Optional.empty();
        }
        int p = Integer.parseInt(digits);
        return p >= 1 && p <= 65535 ? Optional.of(Optional.of(p)) : Optional.empty();
    }
}
