package io.postway.web;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.Set;

/**
 * {@code Authorization: Bearer <key>} → the key's holder ({@link BearerKeyIdentityProvider}). No
 * header is anonymous (refused on {@link ProtectedPaths}); an unknown key fails authentication
 * there. Outside the protected paths no key is read, so {@code /q/*} answers whatever is sent.
 * Either way the challenge is a 401 problem+json with {@code WWW-Authenticate: Bearer realm="postway"}.
 */
@ApplicationScoped
public class BearerKeyMechanism implements HttpAuthenticationMechanism {

    public static final String CHALLENGE = "Bearer realm=\"postway\"";
    private static final String SCHEME = "Bearer";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext ctx, IdentityProviderManager identities) {
        Optional<String> key = presentedKey(ctx);
        if (key.isEmpty() || !ProtectedPaths.covers(ctx.normalizedPath())) {
            return Uni.createFrom().optional(Optional.empty());
        }
        TokenAuthenticationRequest request = new TokenAuthenticationRequest(new TokenCredential(key.get(), "bearer"));
        return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(request, ctx));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext ctx) {
        return Uni.createFrom().item(new ChallengeData(401, HttpHeaderNames.WWW_AUTHENTICATE, CHALLENGE));
    }

    /** The challenge with a problem body: the default would send an empty 401. */
    @Override
    public Uni<Boolean> sendChallenge(RoutingContext ctx) {
        if (ctx.response().ended()) {
            return Uni.createFrom().item(true);
        }
        ctx.response().putHeader(HttpHeaderNames.WWW_AUTHENTICATE, CHALLENGE);
        unauthorized(presentedKey(ctx).isPresent()).writeTo(ctx.response());
        return Uni.createFrom().item(true);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext ctx) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, "bearer"));
    }

    /** The one 401 problem, here and in {@link ProblemMappers}. */
    static Problem unauthorized(boolean keyPresented) {
        return Problem.of(ProblemType.UNAUTHORIZED, keyPresented
                ? "The bearer key is not known."
                : "A key is required: Authorization: Bearer <key>.");
    }

    private static Optional<String> presentedKey(RoutingContext ctx) {
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, SCHEME + " ", 0, SCHEME.length() + 1)) {
            return Optional.empty();
        }
        String key = header.substring(SCHEME.length() + 1).trim();
        return key.isEmpty() ? Optional.empty() : Optional.of(key);
    }
}
