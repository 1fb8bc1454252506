package io.postway.router.api;

import io.postway.router.config.RouterConfig;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/** The queue API is for administrators: admin key or 401; a known client key is 403 (authenticated, not allowed). */
public class AdminKeyFilter {

    @Inject
    Instance<RouterConfig> config;

    @ServerRequestFilter
    public Optional<Response> requireAdminKey(ContainerRequestContext ctx) {
        String path = ctx.getUriInfo().getPath();
        if (!path.startsWith("/v1/")) {
            return Optional.empty();
        }
        RouterConfig cfg = config.get();
        String header = ctx.getHeaderString("Authorization");
        String key = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        if (key != null && same(key, cfg.adminKey())) {
            return Optional.empty();
        }
        if (key != null && cfg.clientKey().filter(k -> same(key, k)).isPresent()) {
            return Optional.of(Problem.response(403, "Forbidden", "The queue API needs the admin key; a client key may only submit mail."));
        }
        return Optional.of(Problem.response(401, "Unauthorized", key == null
                ? "Send the admin key as 'Authorization: Bearer <admin key>'." : "The key is not known."));
    }

    private static boolean same(String a, String b) {
        // constant time, so the key cannot be guessed byte by byte from response times
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
