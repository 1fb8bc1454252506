package io.postway.contract.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Optional;

/**
 * TLS protocol versions a policy may allow, in ascending order. {@link #wireName()} is the JSON and
 * JSSE form ({@code TLSv1}, {@code TLSv1.1}, {@code TLSv1.2}, {@code TLSv1.3}).
 */
public enum TlsVersion {
    TLS_1_0("TLSv1"), TLS_1_1("TLSv1.1"), TLS_1_2("TLSv1.2"), TLS_1_3("TLSv1.3");

    private final String wireName;

    TlsVersion(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public static Optional<TlsVersion> fromWireName(String name) {
        return Arrays.stream(values()).filter(v -> v.wireName.equals(name)).findFirst();
    }

    @JsonCreator
    static TlsVersion fromJson(String name) {
        return fromWireName(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown TLS version '" + name + "' (expected TLSv1, TLSv1.1, TLSv1.2 or TLSv1.3)"));
    }

    /** The versions from {@code min} to {@code max}, inclusive, in the JSSE names. */
    public static String[] range(TlsVersion min, TlsVersion max) {
        return Arrays.stream(values()).filter(v -> v.compareTo(min) >= 0 && v.compareTo(max) <= 0)
                .map(TlsVersion::wireName).toArray(String[]::new);
    }

    @Override
    public String toString() {
        return wireName;
    }
}
