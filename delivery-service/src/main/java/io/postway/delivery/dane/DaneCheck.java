package io.postway.delivery.dane;

import io.postway.contract.event.DeliveryEvent;
import io.postway.contract.policy.DaneMode;
import io.postway.delivery.domain.SessionFailure;
import io.postway.delivery.domain.SessionFailure.Kind;
import io.postway.delivery.domain.Stage;
import io.postway.delivery.tls.PinnedAuthentication;

import java.util.List;

/**
 * The DANE verdict on one MX host before connecting, under the rule's {@code tls.dane}: which TLSA
 * records (if any) the session's certificate must match, whether the host may be used at all, and
 * what the event reports. THE place that decides what each look-up result means (RFC 7672 2.2):
 * usable records make TLS mandatory with DANE authentication (SessionSettings); BOGUS or a failed
 * look-up keep the host from being used; without secure usable records {@code REQUIRED} refuses it
 * and the other modes leave the rule as it is.
 *
 * @param records every TLSA record found (usable or not), as reported
 * @param detail  one phrase for the diagnosis (why BOGUS, which look-up was insecure)
 */
public record DaneCheck(DaneMode mode, DaneStatus status, String tlsaName, List<TlsaRecord> records, String detail) {

    public static final String TLSA_INVALID = "tlsa-invalid";
    public static final String DNSSEC_INVALID = "dnssec-invalid";
    public static final String DANE_REQUIRED = "dane-required";

    public static final DaneCheck NOT_CHECKED = new DaneCheck(DaneMode.OFF, DaneStatus.NOT_CHECKED, null, List.of(), null);

    public DaneCheck {
        records = List.copyOf(records);
    }

    /** Whether the handshake is judged by these records instead of WebPKI (and TLS is mandatory). */
    public boolean authenticates() {
        return status == DaneStatus.USABLE;
    }

    /** Whether TLS is mandatory: usable records, or a published but unusable set (RFC 7672 2.2: TLS, without authentication). */
    public boolean tlsMandatory() {
        return status == DaneStatus.USABLE || status == DaneStatus.UNUSABLE;
    }

    public List<TlsaRecord> usable() {
        return records.stream().filter(TlsaRecord::usableForSmtp).toList();
    }

    /** The handshake's check against the usable records (replacing WebPKI), null when they do not authenticate. */
    public PinnedAuthentication authentication(String host) {
        if (!authenticates()) {
            return null;
        }
        List<TlsaRecord> usable = usable();
        return chain -> DaneMatcher.match(usable, chain, host);
    }

    /** Why {@code host} must not be used at all, or null when a session may be tried. */
    public SessionFailure refusal(String host) {
        return switch (status) {
            case BOGUS -> SessionFailure.of(Kind.DANE_BOGUS, Stage.CONNECT, host, detail);
            case LOOKUP_FAILED -> SessionFailure.of(Kind.DANE_LOOKUP_FAILED, Stage.CONNECT, host, detail);
            case NO_RECORDS, INSECURE -> mode == DaneMode.REQUIRED ? SessionFailure.of(Kind.DANE_REQUIRED, Stage.CONNECT, host, detail) : null;
            case UNUSABLE -> mode == DaneMode.REQUIRED ? SessionFailure.of(Kind.DANE_UNUSABLE, Stage.CONNECT, host, detail) : null;
            case USABLE, NOT_CHECKED -> null;
        };
    }

    /**
     * The event's {@code data.dane}. {@code matched}: the handshake's DANE verdict, null when no
     * certificate was judged (then usable records report MISMATCH without a failure of their own: the
     * session's failure says what happened).
     */
    public DeliveryEvent.Dane report(Boolean matched) {
        List<String> shown = records.stream().map(TlsaRecord::presentation).toList();
        return switch (status) {
            case NOT_CHECKED -> DeliveryEvent.Dane.NOT_CHECKED;
            case USABLE -> Boolean.TRUE.equals(matched)
                    ? new DeliveryEvent.Dane("MATCH", tlsaName, shown, null)
                    : new DeliveryEvent.Dane("MISMATCH", tlsaName, shown, matched == null ? null : TLSA_INVALID);
            case BOGUS, LOOKUP_FAILED -> new DeliveryEvent.Dane(status.name(), tlsaName, shown, DNSSEC_INVALID);
            case NO_RECORDS, INSECURE -> new DeliveryEvent.Dane(status.name(), tlsaName, shown, mode == DaneMode.REQUIRED ? DANE_REQUIRED : null);
            case UNUSABLE -> new DeliveryEvent.Dane("UNUSABLE", tlsaName, shown, mode == DaneMode.REQUIRED ? TLSA_INVALID : null);
        };
    }
}
