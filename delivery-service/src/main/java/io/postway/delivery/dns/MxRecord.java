package io.postway.delivery.dns;

/** One MX record: preference and exchange host (empty or "." for a null MX). */
public record MxRecord(int preference, String exchange) {

    /** RFC 7505: a single MX of preference 0 naming the root. */
    public boolean isNull() {
        String e = exchange == null ? "" : exchange.strip();
        return e.isEmpty() || e.equals(".");
    }

    public String host() {
        String e = exchange.strip();
        return e.endsWith(".") ? e.substring(0, e.length() - 1) : e;
    }
}
