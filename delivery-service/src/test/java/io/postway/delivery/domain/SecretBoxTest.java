package io.postway.delivery.domain;

import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SecretBoxTest {

    private static final String K1 = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String K2 = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    @Test
    void opensWhatTheFirstKeySealedAndRotationKeepsOldSecretsReadable() {
        SecretBox old = SecretBox.parse("k1:" + K1);
        String sealed = old.encrypt("k1", "s3cret-pass", "relay.test", new byte[12]);
        SecretBox rotated = SecretBox.parse("k2:" + K2 + ",k1:" + K1);
        assertEquals("s3cret-pass", rotated.decrypt(sealed, "relay.test"));
    }

    @Test
    void theRuleNameIsBoundAsAadAndErrorsNeverShowTheSecret() {
        SecretBox box = SecretBox.parse("k1:" + K1);
        String sealed = box.encrypt("k1", "s3cret-pass", "relay.test", new byte[12]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> box.decrypt(sealed, "other.test"));
        assertFalse(e.getMessage().contains("s3cret"));
        assertThrows(IllegalArgumentException.class, () -> SecretBox.parse("k9:" + K2).decrypt(sealed, "relay.test"));
    }
}
