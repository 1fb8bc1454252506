package io.postway.policy.api;

import io.postway.policy.config.PolicyConfig;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Every REST endpoint of this service administers policies: it needs the admin key. The intake
 * client's key is recognised and refused with 403 (known, but not allowed); any other is 401.
 */
public class AdminKeyFilter {

    // looked up per request: filters are built at static init, before runtime configuration exists
    @Inject
    Instance<PolicyConfig> config;

    @ServerRequestFilter(preMatching = true)
    public Response check(ContainerRequestContext ctx) {
        String path = ctx.getUriInfo().getPath();
        if (path.startsWith("/q/")) {
            return null;
        }
        String header = ctx.getHeaderString(HttpHeaders.AUTHORIZATION);
        String key = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        if (key != null && same(key, config.get().adminKey())) {
            return null;
        }
        if (key != null && same(key, config.get().clientKey())) {
            return ProblemMapper.response(403, "Forbidden", "This key may submit mail but not administer policies");
        }
        return Response.fromResponse(ProblemMapper.response(401, "Unauthorized",
                "Send the admin key as Authorization: Bearer <key>")).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    private static boolean same(String given, String expected) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}
