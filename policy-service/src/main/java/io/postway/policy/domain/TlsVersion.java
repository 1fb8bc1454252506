package io.postway.policy.domain;

import java.util.Arrays;
import java.util.Optional;

/** TLS protocol versions a policy may allow, in ascending order; {@link #wireName()} is the JSON form. */
public enum TlsVersion {
    TLS_1_0("TLSv1"), TLS_1_1("TLSv1.1"), TLS_1_2("TLSv1.2"), TLS_1_3("TLSv1.3");

    private final String wireName;

    TlsVersion(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<TlsVersion> fromWireName(String name) {
        return Arrays.stream(values()).filter(v -> v.wireName.equals(name)).findFirst();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
