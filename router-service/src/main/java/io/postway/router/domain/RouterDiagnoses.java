package io.postway.router.domain;

import java.time.Duration;
import java.time.Instant;

/** The sentences a mail administrator reads for what the router itself decided. */
public final class RouterDiagnoses {

    private RouterDiagnoses() {
    }

    public static String policyUnknown(String domain, String why) {
        return "The router cannot know the policy for " + domain + " (" + why + "), so the mail waits instead of "
                + "going out under a possibly weaker policy. Start policy-service or check that mail.policy-changes holds the 'default' rule.";
    }

    public static String invalidDomain(String recipient, String reason) {
        return "The recipient " + recipient + " cannot be routed: " + reason + ". Correct the address and send the message again.";
    }

    public static String expired(Instant submittedAt, Duration expireAfter, String lastDiagnosis) {
        return "The message was accepted at " + submittedAt + " and not delivered within " + expireAfter
                + " (retry.expireAfter); the router gave up."
                + (lastDiagnosis == null || lastDiagnosis.isBlank() ? "" : " Last problem: " + lastDiagnosis);
    }

    public static final String DELETED_BY_ADMIN = "deleted by admin";
}
