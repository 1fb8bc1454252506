package io.postway.delivery.smtp;

import io.postway.contract.policy.AuthMethod;
import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.policy.PolicyRule;
import io.postway.contract.policy.TlsMode;
import io.postway.contract.secret.SecretCipher;
import io.postway.delivery.mailclient.VertxMailClient.Transport;
import org.junit.jupiter.api.Test;

import java.util.Base64;

import static io.postway.delivery.smtp.Policies.policy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a job's policy sets up: the password a session logs in with, the fallback, the transport asked of the client. */
class SessionSettingsTest {

    private static final String K1 = "k1:" + Base64.getEncoder().encodeToString(new byte[32]);
    private static final String K2 = "k2:" + Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    private static EffectivePolicy login(String rule, String sealed) {
        return policy().rule(rule).auth(AuthMethod.PLAIN, "relayuser", sealed).build();
    }

    private static String password(String keys, EffectivePolicy p) {
        return SessionSettings.of(p, SecretCipher.fromConfigOrNone(keys), "relay.postway.test").password();
    }

    @Test
    void opensWhatTheFirstKeySealedAndRotationKeepsOldSecretsReadable() {
        String sealed = SecretCipher.fromConfig(K1).encrypt("s3cret-pass", "relay.test");
        assertEquals("s3cret-pass", password(K2 + "," + K1, login("relay.test", sealed)));
    }

    @Test
    void theRuleNameIsBoundAsAadAndErrorsNeverShowTheSecret() {
        String sealed = SecretCipher.fromConfig(K1).encrypt("s3cret-pass", "relay.test");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> password(K1, login("other.test", sealed)));
        assertFalse(e.getMessage().contains("s3cret"));
        assertEquals("the encrypted secret does not open with key k1 for rule other.test", e.getMessage());
        assertEquals("no key with id k1 in POSTWAY_SECRET_KEYS",
                assertThrows(IllegalArgumentException.class, () -> password(K2, login("relay.test", sealed))).getMessage());
    }

    @Test
    void credentialsMergedFromDefaultOpenWithTheDefaultRuleAsAad() {
        String sealedForDefault = SecretCipher.fromConfig(K1).encrypt("s3cret-pass", PolicyRule.DEFAULT);
        assertEquals("s3cret-pass", password(K1, login("fabrikam.com", sealedForDefault)));
    }

    @Test
    void withoutKeysDeliveryStartsAndOnlyAPasswordSaysWhyItCannotOpen() {
        String sealed = SecretCipher.fromConfig(K1).encrypt("s3cret-pass", "relay.test");
        for (String none : new String[]{null, "", "  "}) {
            assertEquals("no key with id k1 in POSTWAY_SECRET_KEYS",
                    assertThrows(IllegalArgumentException.class, () -> password(none, login("relay.test", sealed))).getMessage());
            assertEquals("not a v1 encrypted secret",
                    assertThrows(IllegalArgumentException.class, () -> password(none, login("relay.test", "plain"))).getMessage());
            // a policy without a login needs no key at all
            assertEquals(null, password(none, policy().build()));
        }
    }

    @Test
    void fallbackToPlaintextAppliesUnderOpportunisticOnly() {
        SecretCipher none = SecretCipher.fromConfigOrNone(null);
        assertTrue(SessionSettings.of(policy().mode(TlsMode.OPPORTUNISTIC).fallback().build(), none, "h").fallbackToPlaintext());
        assertFalse(SessionSettings.of(policy().mode(TlsMode.OPPORTUNISTIC).build(), none, "h").fallbackToPlaintext());
        // policy-service refuses these; should one arrive, TLS is still required / never tried, and no fallback happens
        for (TlsMode mode : new TlsMode[]{TlsMode.REQUIRED, TlsMode.DISABLED}) {
            SessionSettings s = SessionSettings.of(policy().mode(mode).fallback().build(), none, "h");
            assertFalse(s.fallbackToPlaintext(), mode.name());
        }
        assertEquals(Transport.STARTTLS_REQUIRED, SessionSettings.of(policy().mode(TlsMode.REQUIRED).fallback().build(), none, "h").transport());
        assertFalse(SessionSettings.of(policy().mode(TlsMode.OPPORTUNISTIC).fallback().build(), none, "h").plaintextFallback()
                .fallbackToPlaintext(), "a fallback session does not fall back again");
    }

    @Test
    void theTransportFollowsTheModeAndAVersionRangeOutOfOrderIsUnusable() {
        SecretCipher none = SecretCipher.fromConfigOrNone(null);
        assertEquals(Transport.PLAINTEXT, SessionSettings.of(policy().mode(TlsMode.DISABLED).build(), none, "h").transport());
        assertEquals(Transport.STARTTLS_WHEN_OFFERED, SessionSettings.of(policy().mode(TlsMode.OPPORTUNISTIC).build(), none, "h").transport());
        assertEquals(Transport.IMPLICIT_TLS, SessionSettings.of(policy().implicitTls().build(), none, "h").transport());
        // credentials only over TLS: a login under OPPORTUNISTIC asks for STARTTLS or nothing; under DISABLED, plaintext
        String sealed = SecretCipher.fromConfig(K1).encrypt("s3cret-pass", "relay.test");
        SecretCipher k1 = SecretCipher.fromConfig(K1);
        SessionSettings opportunisticLogin = SessionSettings.of(policy().rule("relay.test").mode(TlsMode.OPPORTUNISTIC)
                .auth(AuthMethod.PLAIN, "relayuser", sealed).build(), k1, "h");
        assertTrue(opportunisticLogin.logsIn());
        assertEquals(Transport.STARTTLS_REQUIRED, opportunisticLogin.transport());
        assertEquals(Transport.PLAINTEXT, SessionSettings.of(policy().rule("relay.test").mode(TlsMode.DISABLED)
                .auth(AuthMethod.PLAIN, "relayuser", sealed).build(), k1, "h").transport());
        assertFalse(SessionSettings.of(policy().mode(TlsMode.OPPORTUNISTIC).build(), none, "h").logsIn());
        assertEquals(Transport.PLAINTEXT, SessionSettings.of(policy().mode(TlsMode.OPPORTUNISTIC).build(), none, "h")
                .plaintextFallback().transport());
        assertThrows(IllegalArgumentException.class,
                () -> SessionSettings.of(policy().versions("TLSv1.3", "TLSv1.2").build(), none, "h"));
    }
}
