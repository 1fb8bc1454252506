package io.postway.router.domain;

import java.time.Duration;
import java.time.Instant;

/** The sentences a mail administrator reads for what the router itself decided. */
public final class RouterDiagnoses {

    private RouterDiagnoses() {
    }

    /**
     * Read by clients (intake's GET /v1/messages), so it says what happened and nothing of the
     * router's insides: policy-service's address and answer stay in the log and the readiness check.
     */
    public static String policyUnknown(String domain) {
        return "The router could not learn the policy for " + domain + "; it will try again. Until then the mail waits "
                + "instead of going out under a possibly weaker policy.";
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
