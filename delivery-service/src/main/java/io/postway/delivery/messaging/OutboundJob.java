package io.postway.delivery.messaging;

import com.fasterxml.jackson.databind.ObjectReader;
import io.postway.contract.json.ContractJson;
import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.policy.PolicyFields;
import io.postway.contract.policy.PolicyRule;
import io.postway.contract.wire.MailRecords;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code mail.outbound} (router → delivery), key = recipient domain (deploy/docs/contract.md): read
 * tolerantly (fields delivery does not use are ignored) in either wire format ({@link MailRecords});
 * {@code content} is the raw message, the policy is the contract's.
 */
public record OutboundJob(String jobId, String messageId, String domain, String from, List<String> recipients,
                          int attempt, Instant submittedAt, byte[] content, EffectivePolicy policy)
        implements MailRecords.Mail {

    private static final ObjectReader METADATA = ContractJson.MAPPER.readerFor(OutboundJob.class);

    /**
     * A {@code mail.outbound} record in either wire format, read as {@link MailRecords#read} reads
     * it (the value array itself is the content). A format 2 record's metadata header is bound
     * straight to the record: MailRecords builds a JSON tree first to put the value into it, a
     * second pass over every field of every job. Format 1 and malformed records go to MailRecords.
     *
     * @throws IllegalArgumentException when the record is neither format
     */
    static OutboundJob read(Map<String, byte[]> headers, byte[] value) {
        byte[] metadata = headers.get(MailRecords.METADATA_HEADER);
        if (value == null || metadata == null || MailRecords.format(headers) != 2) {
            return MailRecords.read(headers, value, OutboundJob.class);
        }
        OutboundJob m;
        try {
            m = METADATA.readValue(metadata);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a valid OutboundJob: " + e.getMessage(), e);
        }
        if (m == null) {
            throw new IllegalArgumentException("the " + MailRecords.METADATA_HEADER + " header is no JSON object");
        }
        return new OutboundJob(m.jobId, m.messageId, m.domain, m.from, m.recipients, m.attempt, m.submittedAt, value, m.policy);
    }

    /**
     * Why this record names no message and recipients that an outcome could be written for, or empty.
     * Only such a record is dropped: every other job ends each recipient with an event.
     */
    Optional<String> unidentifiable() {
        if (messageId == null || domain == null || submittedAt == null || recipients == null || recipients.isEmpty()
                || content == null) {
            return Optional.of("messageId, domain, submittedAt, recipients and content are required");
        }
        return Optional.empty();
    }

    /**
     * Why no attempt could deliver under this job's policy, or empty. The contract's policy is
     * complete: every field set but the ones {@link PolicyFields#nullable} names, and a retry schedule
     * with at least one interval. Delivery fills in no default for a missing field: such a job is
     * deferred (POLICY_UNUSABLE) so that the router routes it again under the policy in force.
     */
    Optional<String> policyUnusable() {
        if (policy == null) {
            return Optional.of("the job carries no policy");
        }
        List<String> missing = PolicyFields.ALL.stream()
                .filter(f -> !PolicyFields.nullable(f.path()) && f.get().apply(policyFields()) == null)
                .map(PolicyFields.Field::path)
                .toList();
        if (!missing.isEmpty()) {
            return Optional.of("the policy is incomplete, it lacks " + String.join(", ", missing));
        }
        if (policyFields().retry().intervals().isEmpty()) {
            return Optional.of("the policy's retry.intervals is empty");
        }
        return Optional.empty();
    }

    /**
     * The job's policy with every missing group as the contract's EMPTY one (fields null), so that an
     * event can report what the job said; null when it carries none.
     */
    EffectivePolicy policyAsReported() {
        if (policy == null) {
            return null;
        }
        PolicyRule f = policyFields();
        return new EffectivePolicy(f.rule(), f.version(), f.tls(), f.auth(), f.route(), f.limits(), f.retry());
    }

    /** Whether the contract's retry schedule can compute this job's next attempt (an interval and an expiry). */
    boolean retryUsable() {
        PolicyRule.Retry retry = policy == null ? null : policyFields().retry();
        return retry != null && retry.expireAfter() != null && retry.intervals() != null && !retry.intervals().isEmpty();
    }

    private PolicyRule policyFields() {
        return new PolicyRule(policy.rule(), policy.version(), policy.tls(), policy.auth(), policy.route(),
                policy.limits(), policy.retry(), null, null);
    }
}
