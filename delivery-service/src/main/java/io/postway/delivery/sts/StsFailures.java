package io.postway.delivery.sts;

import io.postway.contract.tlsrpt.ResultType;

/** The RFC 8460 (4.3) result types MTA-STS reports in {@code data.mtaSts.failure}. */
final class StsFailures {

    static final String FETCH_ERROR = ResultType.STS_POLICY_FETCH_ERROR.wireName();
    static final String INVALID = ResultType.STS_POLICY_INVALID.wireName();
    static final String WEBPKI_INVALID = ResultType.STS_WEBPKI_INVALID.wireName();
    /** No MX host matches the policy's patterns (RFC 8460 has no narrower type). */
    static final String MX_MISMATCH = ResultType.VALIDATION_FAILURE.wireName();
    static final String STARTTLS_NOT_SUPPORTED = ResultType.STARTTLS_NOT_SUPPORTED.wireName();

    private StsFailures() {
    }
}
