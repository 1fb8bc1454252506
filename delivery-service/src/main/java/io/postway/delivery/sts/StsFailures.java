package io.postway.delivery.sts;

/** The RFC 8460 (4.3) result types MTA-STS reports in {@code data.mtaSts.failure}. */
final class StsFailures {

    static final String FETCH_ERROR = "sts-policy-fetch-error";
    static final String INVALID = "sts-policy-invalid";
    static final String WEBPKI_INVALID = "sts-webpki-invalid";
    /** No MX host matches the policy's patterns (RFC 8460 has no narrower type). */
    static final String MX_MISMATCH = "validation-failure";
    static final String STARTTLS_NOT_SUPPORTED = "starttls-not-supported";

    private StsFailures() {
    }
}
