package io.postway.delivery.dane;

/**
 * What the TLSA look-up of one MX host found (RFC 7672 2.2). {@code USABLE}: secure usable records,
 * reported as MATCH or MISMATCH once the handshake has been judged; {@code LOOKUP_FAILED}: an answer
 * that could not be had (SERVFAIL without a DNSSEC reason, a timeout), which like BOGUS keeps the
 * host from being used. The event's {@code data.dane.status} names are those of {@link DaneCheck#report}.
 */
public enum DaneStatus { USABLE, NO_RECORDS, INSECURE, BOGUS, UNUSABLE, LOOKUP_FAILED, NOT_CHECKED }
