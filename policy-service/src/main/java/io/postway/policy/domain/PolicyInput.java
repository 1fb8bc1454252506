package io.postway.policy.domain;

import io.postway.contract.policy.PolicyRule;

/**
 * A rule as an administrator sent it: the fields it sets (password not yet encrypted) and the
 * plaintext password, when one was given. {@link #toString()} never shows the password.
 */
public record PolicyInput(PolicyRule fields, String password) {

    @Override
    public String toString() {
        return "PolicyInput[fields=" + fields + ", password=" + (password == null ? "absent" : "(redacted)") + "]";
    }
}
