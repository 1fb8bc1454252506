package io.postway.delivery.domain;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Opens a policy's {@code passwordEncrypted}: {@code v1:<keyId>:<base64(12-byte IV || AES-256-GCM
 * ciphertext+tag)>}, the AAD being the rule name. Keys come from {@code POSTWAY_SECRET_KEYS}
 * ({@code keyId:base64,...}); every listed key may decrypt, so keys can be rotated.
 */
public final class SecretBox {

    private final Map<String, byte[]> keys;

    public SecretBox(Map<String, byte[]> keys) {
        this.keys = Map.copyOf(keys);
    }

    public static SecretBox parse(String spec) {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        if (spec != null) {
            for (String entry : spec.split(",")) {
                String e = entry.strip();
                if (e.isEmpty()) {
                    continue;
                }
                int colon = e.indexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException("POSTWAY_SECRET_KEYS entry without keyId");
                }
                byte[] key = Base64.getDecoder().decode(e.substring(colon + 1));
                if (key.length != 32) {
                    throw new IllegalArgumentException("key " + e.substring(0, colon) + " is not 32 bytes");
                }
                keys.put(e.substring(0, colon), key);
            }
        }
        return new SecretBox(keys);
    }

    public String decrypt(String sealed, String rule) {
        String[] parts = sealed == null ? new String[0] : sealed.split(":", 3);
        if (parts.length != 3 || !parts[0].equals("v1")) {
            throw new IllegalArgumentException("not a v1 encrypted secret");
        }
        byte[] key = keys.get(parts[1]);
        if (key == null) {
            throw new IllegalArgumentException("no key with id " + parts[1] + " in POSTWAY_SECRET_KEYS");
        }
        byte[] blob = Base64.getDecoder().decode(parts[2]);
        if (blob.length < 12 + 16) {
            throw new IllegalArgumentException("encrypted secret too short");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, blob, 0, 12));
            cipher.updateAAD(rule.getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(Arrays.copyOfRange(blob, 12, blob.length));
            return new String(plain, StandardCharsets.UTF_8);
        } catch (java.security.GeneralSecurityException e) {
            // never include the secret or key material, only that it did not open
            throw new IllegalArgumentException("the encrypted secret does not open with key " + parts[1] + " for rule " + rule);
        }
    }

    /** For tests and tools: seals like policy-service does. */
    public String encrypt(String keyId, String secret, String rule, byte[] iv) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys.get(keyId), "AES"), new GCMParameterSpec(128, iv));
            cipher.updateAAD(rule.getBytes(StandardCharsets.UTF_8));
            byte[] ct = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            byte[] blob = new byte[iv.length + ct.length];
            System.arraycopy(iv, 0, blob, 0, iv.length);
            System.arraycopy(ct, 0, blob, iv.length, ct.length);
            return "v1:" + keyId + ":" + Base64.getEncoder().encodeToString(blob);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
