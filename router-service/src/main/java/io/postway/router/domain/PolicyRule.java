package io.postway.router.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A policy rule as policy-service stores and publishes it: an exact domain, a wildcard
 * ({@code *.fabrikam.com}) or {@code default}. A domain rule holds only the fields it sets (the
 * others are {@code null}, a whole group may be {@code null}); {@code default} has them all.
 */
public record PolicyRule(String rule, Long version, Tls tls, Auth auth, Route route, Limits limits, Retry retry,
                         Instant updatedAt, String updatedBy) {

    public static final String DEFAULT = "default";

    public record Tls(String mode, String verify, String minVersion, String maxVersion,
                      Boolean fallbackToPlaintext, Boolean implicit) {
    }

    /** The password travels only encrypted; the router never decrypts it, it hands it on to delivery. */
    public record Auth(String method, String username, String passwordEncrypted) {
    }

    public record Route(String smartHost, Integer port) {
    }

    public record Limits(Integer maxConnections, Integer messagesPerConnection) {
    }

    public record Retry(List<Duration> intervals, Duration expireAfter) {
    }

    public long versionOrZero() {
        return version == null ? 0 : version;
    }
}
