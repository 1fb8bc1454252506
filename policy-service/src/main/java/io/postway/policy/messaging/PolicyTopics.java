package io.postway.policy.messaging;

/** Topic names of the contract. */
public final class PolicyTopics {

    /** Compacted; key = rule; value = the rule as stored, or a tombstone when deleted. */
    public static final String POLICY_CHANGES = "mail.policy-changes";

    private PolicyTopics() {
    }
}
