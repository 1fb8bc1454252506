package io.postway.contract.secret;

import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretCipherTest {

    static final String OLD = "old:" + Base64.getEncoder().encodeToString(new byte[32]);
    static final String NEW = "new:" + Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    @Test
    void encryptsInTheWireFormatAndDecryptsForTheSameRuleOnly() {
        SecretCipher cipher = SecretCipher.fromConfig(OLD);
        String enc = cipher.encrypt("s3cret!", "fabrikam.com");
        assertTrue(enc.matches("v1:old:[A-Za-z0-9+/=]+"), enc);
        byte[] raw = Base64.getDecoder().decode(enc.substring("v1:old:".length()));
        assertEquals(12 + "s3cret!".length() + 16, raw.length, "12-byte IV, ciphertext, 16-byte tag");
        assertEquals("s3cret!", cipher.decrypt(enc, "fabrikam.com").orElseThrow());
        assertTrue(cipher.decrypt(enc, "contoso.com").isEmpty(), "the rule name is authenticated data");
        assertNotEquals(enc, cipher.encrypt("s3cret!", "fabrikam.com"), "a fresh IV each time");
    }

    @Test
    void refusesTamperedValues() {
        SecretCipher cipher = SecretCipher.fromConfig(OLD);
        String enc = cipher.encrypt("s3cret!", "fabrikam.com");
        byte[] raw = Base64.getDecoder().decode(enc.substring(7));
        raw[raw.length - 1] ^= 1;
        assertTrue(cipher.decrypt("v1:old:" + Base64.getEncoder().encodeToString(raw), "fabrikam.com").isEmpty());
    }

    @Test
    void rotationEncryptsWithTheFirstKeyAndStillDecryptsWithTheOld() {
        String underOld = SecretCipher.fromConfig(OLD).encrypt("pw", "r.example");
        SecretCipher rotated = SecretCipher.fromConfig(NEW + "," + OLD);
        assertEquals("pw", rotated.decrypt(underOld, "r.example").orElseThrow());
        assertEquals("new", SecretCipher.keyIdOf(rotated.encrypt("pw", "r.example")).orElseThrow());
        assertTrue(SecretCipher.fromConfig(NEW).decrypt(underOld, "r.example").isEmpty(), "a removed key no longer decrypts");
    }

    @Test
    void badKeyConfigurationIsRefusedWithoutShowingTheKey() {
        String shortKey = "k:" + Base64.getEncoder().encodeToString(new byte[16]);
        var e = assertThrows(IllegalArgumentException.class, () -> SecretCipher.fromConfig(shortKey));
        assertFalse(e.getMessage().contains(shortKey.substring(2)));
        assertThrows(IllegalArgumentException.class, () -> SecretCipher.fromConfig("nokey"));
        assertThrows(IllegalArgumentException.class, () -> SecretCipher.fromConfig(OLD + "," + OLD));
        assertFalse(SecretCipher.fromConfig(OLD).toString().contains("AAAA"));
    }

    @Test
    void openSaysWhyAValueDoesNotOpenWithoutShowingIt() {
        SecretCipher cipher = SecretCipher.fromConfig(OLD);
        String enc = cipher.encrypt("s3cret!", "fabrikam.com");
        var wrongRule = assertThrows(IllegalArgumentException.class, () -> cipher.open(enc, "contoso.com"));
        assertTrue(wrongRule.getMessage().contains("for rule contoso.com"), wrongRule.getMessage());
        var unknownKey = assertThrows(IllegalArgumentException.class, () -> SecretCipher.fromConfig(NEW).open(enc, "fabrikam.com"));
        assertTrue(unknownKey.getMessage().contains("no key with id old"), unknownKey.getMessage());
        var garbage = assertThrows(IllegalArgumentException.class, () -> cipher.open("plain-text-password", "fabrikam.com"));
        assertFalse(garbage.getMessage().contains("plain-text-password"));
    }

    @Test
    void aMergedPolicysPasswordOpensForTheRuleItCameFrom() {
        SecretCipher cipher = SecretCipher.fromConfig(OLD);
        var def = new io.postway.contract.policy.PolicyRule("default", 1, null,
                new io.postway.contract.policy.PolicyRule.Auth(io.postway.contract.policy.AuthMethod.PLAIN, "relay",
                        cipher.encrypt("default-pw", "default")), null, null, null, null, null);
        var own = new io.postway.contract.policy.PolicyRule("partner.example", 2, null,
                new io.postway.contract.policy.PolicyRule.Auth(null, "partner", cipher.encrypt("partner-pw", "partner.example")),
                null, null, null, null, null);
        var plain = new io.postway.contract.policy.PolicyRule("other.example", 3, null, null, null, null, null, null, null);
        assertEquals("partner-pw", cipher.openFor(io.postway.contract.policy.PolicyResolver.merge("partner.example", own, def).policy()));
        assertEquals("default-pw", cipher.openFor(io.postway.contract.policy.PolicyResolver.merge("other.example", plain, def).policy()),
                "credentials inherited from default were sealed for default");
        var stolen = new io.postway.contract.policy.PolicyRule("thief.example", 4, null,
                new io.postway.contract.policy.PolicyRule.Auth(null, "partner", own.auth().passwordEncrypted()), null, null, null, null, null);
        assertThrows(IllegalArgumentException.class,
                () -> cipher.openFor(io.postway.contract.policy.PolicyResolver.merge("thief.example", stolen, def).policy()),
                "a value copied into another rule opens for neither");
    }

    @Test
    void withoutKeysNothingOpensAndNothingSealsButTheServiceStarts() {
        SecretCipher none = SecretCipher.fromConfigOrNone("  ");
        String sealed = SecretCipher.fromConfig(OLD).encrypt("pw", "r.example");
        var e = assertThrows(IllegalArgumentException.class, () -> none.open(sealed, "r.example"));
        assertTrue(e.getMessage().contains("no key with id old"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> none.encrypt("pw", "r.example"));
    }
}
