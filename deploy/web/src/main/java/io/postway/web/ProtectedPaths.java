package io.postway.web;

import io.quarkus.vertx.http.security.HttpSecurity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Arrays;

/**
 * The same protected paths in every service: everything under {@code /v1/} and {@code /internal/}
 * needs a known key (else 401), whether or not a resource is there; {@code /q/*} (health, metrics,
 * OpenAPI) stays open. Which role a path needs is declared on its resource with
 * {@code @RolesAllowed} ({@link Roles}); lacking it is a 403.
 */
@ApplicationScoped
public class ProtectedPaths {

    private static final String[] PREFIXES = {"/v1", "/internal"};
    private static final String[] PATHS = Arrays.stream(PREFIXES).map(p -> p + "/*").toArray(String[]::new);

    void protect(@Observes HttpSecurity http) {
        http.path(PATHS).authenticated();
    }

    /** Whether a key is read at all for this path: elsewhere (/q/*) even a wrong key is not refused. */
    static boolean covers(String path) {
        return path != null && Arrays.stream(PREFIXES).anyMatch(p -> path.equals(p) || path.startsWith(p + "/"));
    }
}
