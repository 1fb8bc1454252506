package io.postway.contract.policy;

/**
 * How DANE for SMTP (RFC 7672) combines with a rule's TLS settings ({@code tls.dane}, extension).
 * {@code OPPORTUNISTIC}: when the MX host publishes usable TLSA records in a DNSSEC-secure zone, TLS is
 * mandatory and the certificate must match them (this replaces the rule's WebPKI check); without
 * them the rule applies as it says. {@code REQUIRED}: without secure usable TLSA records no mail is
 * sent (deferred, {@code dane-required}). {@code OFF}: no TLSA look-up at all.
 */
public enum DaneMode {
    OPPORTUNISTIC, REQUIRED, OFF;

    /** A rule or job written before the field existed has none: it means the built-in default. */
    public static DaneMode orDefault(DaneMode mode) {
        return mode == null ? OPPORTUNISTIC : mode;
    }
}
