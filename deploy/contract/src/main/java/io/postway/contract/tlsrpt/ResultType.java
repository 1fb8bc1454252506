package io.postway.contract.tlsrpt;

import java.util.Arrays;
import java.util.Optional;

/**
 * The result types of RFC 8460 §4.3 (SMTP TLS Reporting), as written in a delivery event's
 * {@code data.failureType} and in a TLS-RPT report's {@code failure-details[].result-type}.
 * The wire form is the RFC's lower-case name ({@link #wireName()}); the set is closed, so a
 * report and an event always say the same thing the same way.
 */
public enum ResultType {
    /** §4.3.1: the receiver offered no STARTTLS (or refused the command) where TLS was required. */
    STARTTLS_NOT_SUPPORTED("starttls-not-supported"),
    /** §4.3.1: the certificate does not name the MX host. */
    CERTIFICATE_HOST_MISMATCH("certificate-host-mismatch"),
    /** §4.3.1: the certificate has expired. */
    CERTIFICATE_EXPIRED("certificate-expired"),
    /** §4.3.1: the chain does not lead to a trusted CA. */
    CERTIFICATE_NOT_TRUSTED("certificate-not-trusted"),
    /** §4.3.1/§4.3.3: any other negotiation failure (no common protocol version, a broken handshake). */
    VALIDATION_FAILURE("validation-failure"),
    /** §4.3.2.1 (DANE): no TLSA record matched, or the records are unusable. */
    TLSA_INVALID("tlsa-invalid"),
    /** §4.3.2.1 (DANE): the TLSA records' DNSSEC validation failed (bogus). */
    DNSSEC_INVALID("dnssec-invalid"),
    /** §4.3.2.1 (DANE): DANE was required, but the receiver publishes no usable TLSA records. */
    DANE_REQUIRED("dane-required"),
    /** §4.3.2.2 (MTA-STS): the policy could not be fetched. */
    STS_POLICY_FETCH_ERROR("sts-policy-fetch-error"),
    /** §4.3.2.2 (MTA-STS): the policy was fetched but is not valid. */
    STS_POLICY_INVALID("sts-policy-invalid"),
    /** §4.3.2.2 (MTA-STS): the policy host's certificate failed WebPKI validation. */
    STS_WEBPKI_INVALID("sts-webpki-invalid");

    private final String wireName;

    ResultType(String wireName) {
        this.wireName = wireName;
    }

    /** The RFC's name, e.g. {@code certificate-host-mismatch}. */
    public String wireName() {
        return wireName;
    }

    /** The type of an RFC name; empty for null or a name RFC 8460 does not define. */
    public static Optional<ResultType> fromWireName(String name) {
        return name == null ? Optional.empty()
                : Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
