package io.postway.policy.tlsrpt;

import io.postway.contract.tlsrpt.PolicyType;
import io.postway.contract.tlsrpt.ResultType;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * What one delivery attempt contributes to its policy domain's daily TLS-RPT report: the policy it
 * was made under, and its result ({@code result} null = a successful TLS session).
 *
 * @param eventId      the delivery event's id: a replayed event is recorded once
 * @param day          the UTC day of the attempt (the report's date range)
 * @param policyDomain the recipient domain (RFC 8460: the policy domain)
 * @param reason       the event's diagnosis of a failure (the report's {@code failure-reason-code})
 */
public record Attempt(String eventId, LocalDate day, String policyDomain, String messageId, int attempt,
                      PolicyType policyType, List<String> policyStrings, List<String> mxHost, ResultType result,
                      String receivingMx, String receivingIp, String reason, Instant at) {
}
