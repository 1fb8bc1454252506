package io.postway.delivery.domain;

import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.policy.PolicyRule;
import io.postway.contract.secret.SecretCipher;

/**
 * Opens the login password of a job's policy with the contract's {@link SecretCipher}
 * ({@code POSTWAY_SECRET_KEYS}). The password was sealed for the rule it was stored in, which is
 * the matching rule or, when that rule sets no credentials of its own, {@code default} (the merge
 * takes username and password together from one rule): so the matching rule is tried first, then
 * {@code default}. Without any key configured delivery still starts; only a job that needs a
 * password is deferred, saying why.
 */
public final class PolicyPasswords {

    private final SecretCipher cipher;

    private PolicyPasswords(SecretCipher cipher) {
        this.cipher = cipher;
    }

    /** From {@code POSTWAY_SECRET_KEYS}; an empty or missing value means no key (nothing opens). */
    public static PolicyPasswords fromConfig(String keys) {
        return new PolicyPasswords(keys == null || keys.isBlank() ? null : SecretCipher.fromConfig(keys));
    }

    /** @throws IllegalArgumentException saying why the password does not open (never with secret material) */
    public String open(EffectivePolicy policy) {
        String sealed = policy.auth().passwordEncrypted();
        if (cipher == null) {
            // the reasons SecretCipher.open gives, as before keys existed at all
            boolean v1 = sealed != null && sealed.startsWith("v1:") && SecretCipher.keyIdOf(sealed).isPresent();
            throw new IllegalArgumentException(v1 ? "no key with id " + SecretCipher.keyIdOf(sealed).get() + " in POSTWAY_SECRET_KEYS"
                    : "not a v1 encrypted secret");
        }
        try {
            return cipher.open(sealed, policy.rule());
        } catch (IllegalArgumentException sealedForAnotherRule) {
            if (!PolicyRule.DEFAULT.equals(policy.rule())) {
                var asDefault = cipher.decrypt(sealed, PolicyRule.DEFAULT);
                if (asDefault.isPresent()) {
                    return asDefault.get();
                }
            }
            throw sealedForAnotherRule;
        }
    }
}
