package io.postway.policy.tlsrpt;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;

/**
 * The RFC 8460 §4.4 aggregate report, with the RFC's member names. Optional members the relay has
 * no value for are left out (not null): receivers validate against the RFC's schema.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Report(@JsonProperty("organization-name") String organizationName,
                     @JsonProperty("date-range") DateRange dateRange,
                     @JsonProperty("contact-info") String contactInfo,
                     @JsonProperty("report-id") String reportId,
                     @JsonProperty("policies") List<PolicyResult> policies) {

    public record DateRange(@JsonProperty("start-datetime") Instant start, @JsonProperty("end-datetime") Instant end) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PolicyResult(@JsonProperty("policy") Policy policy, @JsonProperty("summary") Summary summary,
                               @JsonProperty("failure-details") List<FailureDetail> failureDetails) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Policy(@JsonProperty("policy-type") String policyType,
                         @JsonProperty("policy-string") List<String> policyString,
                         @JsonProperty("policy-domain") String policyDomain,
                         @JsonProperty("mx-host") List<String> mxHost) {
    }

    public record Summary(@JsonProperty("total-successful-session-count") long successful,
                          @JsonProperty("total-failure-session-count") long failed) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FailureDetail(@JsonProperty("result-type") String resultType,
                                @JsonProperty("sending-mta-ip") String sendingMtaIp,
                                @JsonProperty("receiving-mx-hostname") String receivingMxHostname,
                                @JsonProperty("receiving-ip") String receivingIp,
                                @JsonProperty("failed-session-count") long failedSessionCount,
                                @JsonProperty("failure-reason-code") String failureReasonCode) {
    }
}
