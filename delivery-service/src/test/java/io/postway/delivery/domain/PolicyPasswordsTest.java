package io.postway.delivery.domain;

import io.postway.contract.policy.AuthMethod;
import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.policy.PolicyRule;
import io.postway.contract.secret.SecretCipher;
import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PolicyPasswordsTest {

    private static final String K1 = "k1:" + Base64.getEncoder().encodeToString(new byte[32]);
    private static final String K2 = "k2:" + Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    private static EffectivePolicy policy(String rule, String sealed) {
        return new EffectivePolicy(rule, 1, PolicyRule.Tls.EMPTY, new PolicyRule.Auth(AuthMethod.PLAIN, "relayuser", sealed),
                PolicyRule.Route.EMPTY, PolicyRule.Limits.EMPTY, PolicyRule.Retry.EMPTY);
    }

    @Test
    void opensWhatTheFirstKeySealedAndRotationKeepsOldSecretsReadable() {
        String sealed = SecretCipher.fromConfig(K1).encrypt("s3cret-pass", "relay.test");
        assertEquals("s3cret-pass", PolicyPasswords.fromConfig(K2 + "," + K1).open(policy("relay.test", sealed)));
    }

    @Test
    void theRuleNameIsBoundAsAadAndErrorsNeverShowTheSecret() {
        String sealed = SecretCipher.fromConfig(K1).encrypt("s3cret-pass", "relay.test");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PolicyPasswords.fromConfig(K1).open(policy("other.test", sealed)));
        assertFalse(e.getMessage().contains("s3cret"));
        assertEquals("the encrypted secret does not open with key k1 for rule other.test", e.getMessage());
        assertEquals("no key with id k1 in POSTWAY_SECRET_KEYS",
                assertThrows(IllegalArgumentException.class, () -> PolicyPasswords.fromConfig(K2).open(policy("relay.test", sealed))).getMessage());
    }

    @Test
    void credentialsMergedFromDefaultOpenWithTheDefaultRuleAsAad() {
        String sealedForDefault = SecretCipher.fromConfig(K1).encrypt("s3cret-pass", PolicyRule.DEFAULT);
        assertEquals("s3cret-pass", PolicyPasswords.fromConfig(K1).open(policy("fabrikam.com", sealedForDefault)));
    }

    @Test
    void withoutKeysDeliveryStartsAndOnlyAPasswordSaysWhyItCannotOpen() {
        String sealed = SecretCipher.fromConfig(K1).encrypt("s3cret-pass", "relay.test");
        for (String none : new String[]{null, "", "  "}) {
            PolicyPasswords passwords = PolicyPasswords.fromConfig(none);
            assertEquals("no key with id k1 in POSTWAY_SECRET_KEYS",
                    assertThrows(IllegalArgumentException.class, () -> passwords.open(policy("relay.test", sealed))).getMessage());
            assertEquals("not a v1 encrypted secret",
                    assertThrows(IllegalArgumentException.class, () -> passwords.open(policy("relay.test", "plain"))).getMessage());
        }
    }
}
