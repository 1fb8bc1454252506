package io.postway.policy.domain;

import io.postway.contract.policy.PolicyRule;

import java.time.Instant;

/**
 * A rule as an administrator sent it: the fields it sets (password not yet encrypted), the
 * plaintext password when one was given, and the review date asked for a rule that weakens TLS
 * ({@code review.due}, null: keep the one it has, or the default period). {@link #toString()}
 * never shows the password.
 */
public record PolicyInput(PolicyRule fields, String password, Instant reviewDue) {

    public PolicyInput(PolicyRule fields, String password) {
        this(fields, password, null);
    }

    @Override
    public String toString() {
        return "PolicyInput[fields=" + fields + ", password=" + (password == null ? "absent" : "(redacted)")
                + ", reviewDue=" + reviewDue + "]";
    }
}
