package io.postway.contract.tlsrpt;

/** RFC 8460 §4.4 {@code policy-type}: which published policy an attempt was made under. */
public enum PolicyType {
    /** An MTA-STS policy (RFC 8461) in enforce or testing mode. */
    STS("sts"),
    /** DANE TLSA records (RFC 7672). */
    TLSA("tlsa"),
    /** Neither: the attempt's TLS was opportunistic or the sender's own policy's. */
    NO_POLICY_FOUND("no-policy-found");

    private final String wireName;

    PolicyType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static PolicyType fromWireName(String name) {
        for (PolicyType t : values()) {
            if (t.wireName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no RFC 8460 policy type " + name);
    }
}
