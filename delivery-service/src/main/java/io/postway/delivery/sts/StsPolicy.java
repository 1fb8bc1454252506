package io.postway.delivery.sts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A parsed MTA-STS policy (RFC 8461 3.2): {@code version: STSv1}, {@code mode}, {@code mx}
 * patterns (required unless mode is none) and {@code max_age} in seconds (at most 31557600).
 * Unknown keys are ignored, as the RFC says; {@code text} is the policy as fetched.
 */
public record StsPolicy(Mode mode, List<String> mx, long maxAgeSeconds, String text) {

    public enum Mode { ENFORCE, TESTING, NONE }

    static final long MAX_AGE_LIMIT = 31_557_600;

    /** Why a policy text is refused. */
    static final class Invalid extends Exception {
        Invalid(String why) {
            super(why, null, false, false);
        }
    }

    public StsPolicy {
        mx = List.copyOf(mx);
    }

    static StsPolicy parse(String text) throws Invalid {
        String version = null;
        Mode mode = null;
        Long maxAge = null;
        List<String> mx = new ArrayList<>();
        for (String raw : text.split("\r?\n")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new Invalid("line \"" + shorten(line) + "\" is not key: value");
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            switch (key) {
                case "version" -> version = value;
                case "mode" -> mode = switch (value) {
                    case "enforce" -> Mode.ENFORCE;
                    case "testing" -> Mode.TESTING;
                    case "none" -> Mode.NONE;
                    default -> throw new Invalid("mode \"" + shorten(value) + "\" is none of enforce, testing, none");
                };
                case "max_age" -> {
                    if (!value.matches("[0-9]{1,10}")) {
                        throw new Invalid("max_age \"" + shorten(value) + "\" is not a number of seconds");
                    }
                    maxAge = Math.min(Long.parseLong(value), MAX_AGE_LIMIT);
                }
                case "mx" -> {
                    String pattern = value.toLowerCase(Locale.ROOT);
                    if (!pattern.matches("(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9-]{1,63}\\.?")) {
                        throw new Invalid("mx \"" + shorten(value) + "\" is no host name or *. pattern");
                    }
                    mx.add(pattern.endsWith(".") ? pattern.substring(0, pattern.length() - 1) : pattern);
                }
                default -> {
                    // RFC 8461 3.2: unknown fields are ignored
                }
            }
        }
        if (!"STSv1".equals(version)) {
            throw new Invalid(version == null ? "no version line" : "version \"" + shorten(version) + "\" is not STSv1");
        }
        if (mode == null) {
            throw new Invalid("no mode line");
        }
        if (maxAge == null) {
            throw new Invalid("no max_age line");
        }
        if (mx.isEmpty() && mode != Mode.NONE) {
            throw new Invalid("no mx line (required in mode " + mode.name().toLowerCase(Locale.ROOT) + ")");
        }
        return new StsPolicy(mode, mx, maxAge, text);
    }

    /** Whether an MX host matches a pattern: exactly, or {@code *.} standing for one left-most label (RFC 8461 4.1). */
    public boolean matches(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        for (String p : mx) {
            if (p.startsWith("*.")) {
                int dot = h.indexOf('.');
                if (dot > 0 && h.substring(dot + 1).equals(p.substring(2))) {
                    return true;
                }
            } else if (p.equals(h)) {
                return true;
            }
        }
        return false;
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
