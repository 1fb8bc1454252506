package io.postway.web;

import io.quarkus.vertx.http.security.HttpSecurity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The same protected paths in every service: everything under {@code /v1/} and {@code /internal/}
 * needs a known key (else 401), whether or not a resource is there; {@code /q/*} (health, metrics,
 * OpenAPI) stays open. Which role a path needs is declared on its resource with
 * {@code @RolesAllowed} ({@link Roles}); lacking it is a 403.
 */
@ApplicationScoped
public class ProtectedPaths {

    public static final String[] PATHS = {"/v1/*", "/internal/*"};

    void protect(@Observes HttpSecurity http) {
        http.path(PATHS).authenticated();
    }
}
