package io.postway.web;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/** A bearer key → the SecurityIdentity of its holder, or an authentication failure (401). */
@ApplicationScoped
public class BearerKeyIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    @Inject
    BearerKeys keys;

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        Optional<BearerKeys.BearerKey> holder = holderOf(request.getToken().getToken());
        if (holder.isEmpty()) {
            return Uni.createFrom().failure(new AuthenticationFailedException("unknown bearer key"));
        }
        BearerKeys.BearerKey k = holder.get();
        QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(k.principal()))
                .addRoles(k.roles())
                .addCredential(request.getToken());
        k.attributes().forEach(identity::addAttribute);
        return Uni.createFrom().item(identity.build());
    }

    /**
     * Compares digests of equal length with every key and keeps going after a match, so the time
     * taken tells neither which key nearly matched nor how long the keys are.
     */
    Optional<BearerKeys.BearerKey> holderOf(String presented) {
        byte[] given = sha256(presented);
        BearerKeys.BearerKey found = null;
        for (BearerKeys.BearerKey k : keys.keys()) {
            boolean same = MessageDigest.isEqual(given, sha256(k.key() == null ? "" : k.key()));
            if (same && found == null && k.key() != null && !k.key().isBlank()) {
                found = k;
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
