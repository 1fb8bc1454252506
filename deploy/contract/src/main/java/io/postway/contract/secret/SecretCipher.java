package io.postway.contract.secret;

import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.policy.PolicyResolver;
import io.postway.contract.policy.PolicyRule;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one format of remote-login passwords at rest and on Kafka (deploy/docs/contract.md,
 * "Encrypted secrets"): {@code v1:<keyId>:<base64(12-byte IV || AES-256-GCM ciphertext+tag)>} with
 * the UTF-8 rule name as AAD, so a value copied to another rule does not decrypt. Keys come from
 * {@code POSTWAY_SECRET_KEYS} = {@code keyId:base64-32-bytes[,keyId:base64…]}; the first key
 * encrypts, every key decrypts: rotation is "put the new key first, re-save". policy-service seals,
 * delivery-service opens; nobody else is given the keys.
 */
public final class SecretCipher {

    private static final String PREFIX = "v1";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String primaryKeyId;
    private final Map<String, SecretKeySpec> keys;

    private SecretCipher(String primaryKeyId, Map<String, SecretKeySpec> keys) {
        this.primaryKeyId = primaryKeyId;
        this.keys = keys;
    }

    /**
     * Parses {@code keyId:base64-32-bytes[,keyId:base64…]}. The message of a failure never contains
     * key material, only the position of the bad entry.
     */
    public static SecretCipher fromConfig(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("no secret keys configured (POSTWAY_SECRET_KEYS)");
        }
        Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
        String first = null;
        String[] entries = spec.split(",");
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].trim();
            int colon = entry.indexOf(':');
            String id = colon > 0 ? entry.substring(0, colon) : "";
            if (!id.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException("POSTWAY_SECRET_KEYS entry " + (i + 1) + ": expected keyId:base64-32-bytes");
            }
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(entry.substring(colon + 1).trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("POSTWAY_SECRET_KEYS entry " + (i + 1) + " (" + id + "): not base64");
            }
            if (raw.length != 32) {
                throw new IllegalArgumentException("POSTWAY_SECRET_KEYS entry " + (i + 1) + " (" + id + "): key must be 32 bytes, is " + raw.length);
            }
            if (keys.putIfAbsent(id, new SecretKeySpec(raw, "AES")) != null) {
                throw new IllegalArgumentException("POSTWAY_SECRET_KEYS: key id " + id + " appears twice");
            }
            if (first == null) {
                first = id;
            }
        }
        return new SecretCipher(first, keys);
    }

    /**
     * Like {@link #fromConfig}, but an empty or missing value gives a cipher without keys: a service
     * that only opens (delivery) still starts, nothing opens ("no key with id …") and nothing seals.
     */
    public static SecretCipher fromConfigOrNone(String spec) {
        return spec == null || spec.isBlank() ? new SecretCipher(null, Map.of()) : fromConfig(spec);
    }

    public String primaryKeyId() {
        return primaryKeyId;
    }

    public String encrypt(String plaintext, String rule) {
        if (primaryKeyId == null) {
            throw new IllegalStateException("no secret keys configured (POSTWAY_SECRET_KEYS)");
        }
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, keys.get(primaryKeyId), new GCMParameterSpec(TAG_BITS, iv));
            c.updateAAD(rule.getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(iv.length + ct.length).put(iv).put(ct).array();
            return PREFIX + ":" + primaryKeyId + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** The plaintext, or empty when the value is malformed, its key unknown, or it fails authentication. */
    public Optional<String> decrypt(String encrypted, String rule) {
        try {
            return Optional.of(open(encrypted, rule));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The plaintext.
     *
     * @throws IllegalArgumentException saying why it does not open (never with key or secret material)
     */
    public String open(String encrypted, String rule) {
        String[] parts = encrypted == null ? new String[0] : encrypted.split(":", 3);
        if (parts.length != 3 || !PREFIX.equals(parts[0])) {
            throw new IllegalArgumentException("not a v1 encrypted secret");
        }
        SecretKeySpec key = keys.get(parts[1]);
        if (key == null) {
            throw new IllegalArgumentException("no key with id " + parts[1] + " in POSTWAY_SECRET_KEYS");
        }
        byte[] in;
        try {
            in = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the encrypted secret is not base64");
        }
        if (in.length < IV_BYTES + TAG_BITS / 8) {
            throw new IllegalArgumentException("the encrypted secret is too short");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            c.updateAAD(rule.getBytes(StandardCharsets.UTF_8));
            byte[] pt = c.doFinal(in, IV_BYTES, in.length - IV_BYTES);
            return new String(pt, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the encrypted secret does not open with key " + parts[1] + " for rule " + rule);
        }
    }

    /**
     * The login password of a merged policy. It was sealed for the rule it is stored in, which is
     * the matching rule or, when that rule sets no credentials of its own, {@code default}: {@link
     * PolicyResolver#merge} takes username and password together from one of the two. So the
     * matching rule is tried first, then {@code default}.
     *
     * @throws IllegalArgumentException saying why it does not open (never with secret material)
     */
    public String openFor(EffectivePolicy policy) {
        String sealed = policy.auth().passwordEncrypted();
        try {
            return open(sealed, policy.rule());
        } catch (IllegalArgumentException sealedForAnotherRule) {
            if (!PolicyRule.DEFAULT.equals(policy.rule())) {
                Optional<String> asDefault = decrypt(sealed, PolicyRule.DEFAULT);
                if (asDefault.isPresent()) {
                    return asDefault.get();
                }
            }
            throw sealedForAnotherRule;
        }
    }

    /** The id of the key a value was encrypted with (for rotation: is it the primary one?). */
    public static Optional<String> keyIdOf(String encrypted) {
        if (encrypted == null) {
            return Optional.empty();
        }
        String[] parts = encrypted.split(":", 3);
        return parts.length == 3 ? Optional.of(parts[1]) : Optional.empty();
    }

    @Override
    public String toString() {
        return "SecretCipher[keys=" + keys.keySet() + "]";
    }
}
