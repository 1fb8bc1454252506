package io.postway.intake.api;

import io.postway.intake.config.IntakeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Bearer key → configured client. Keys are compared in constant time and never logged. */
@ApplicationScoped
public class ClientAuthenticator {

    /** A client as the rest of the intake sees it: its name and the sender domains it may use (empty = any). */
    public record Client(String name, List<String> senderDomains) {
    }

    @Inject
    IntakeConfig config;

    public Optional<Client> authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        byte[] given = sha256(authorization.substring(7).trim());
        Client found = null;
        for (Map.Entry<String, IntakeConfig.Client> e : config.clients().entrySet()) {
            // every key is compared, so the time taken does not tell which one nearly matched
            if (MessageDigest.isEqual(given, sha256(e.getValue().key())) && found == null) {
                found = new Client(e.getKey(), e.getValue().senderDomains().orElse(List.of()).stream()
                        .map(String::trim).filter(s -> !s.isEmpty()).map(String::toLowerCase).toList());
            }
        }
        return Optional.ofNullable(found);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
