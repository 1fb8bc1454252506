package io.postway.intake.api;

import io.postway.intake.config.IntakeConfig;
import io.postway.web.BearerKeys;
import io.postway.web.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The configured clients as bearer keys (role {@code client}); deploy/web compares keys in constant
 * time and never logs them. The authenticated client, with the sender domains it may use, rides
 * on the request's SecurityIdentity.
 */
@ApplicationScoped
public class ClientAuthenticator implements BearerKeys {

    /** The SecurityIdentity attribute holding the {@link Client}. */
    static final String CLIENT_ATTRIBUTE = "postway.intake.client";

    /** A client as the rest of the intake sees it: its name and the sender domains it may use (empty = any). */
    public record Client(String name, List<String> senderDomains) {
    }

    @Inject
    IntakeConfig config;

    @Inject
    SecurityIdentity identity;

    /** Asked for on every request: built once from the configuration, which does not change while running. */
    private List<BearerKey> keys;

    @PostConstruct
    void init() {
        keys = config.clients().entrySet().stream()
                .map(e -> new BearerKey(e.getValue().key(), e.getKey(), Set.of(Roles.CLIENT),
                        Map.of(CLIENT_ATTRIBUTE, new Client(e.getKey(), senderDomains(e.getValue())))))
                .toList();
    }

    @Override
    public List<BearerKey> keys() {
        return keys;
    }

    /** The client whose key authenticated this request: only under {@code @RolesAllowed(Roles.CLIENT)}. */
    public Client current() {
        Client client = identity.getAttribute(CLIENT_ATTRIBUTE);
        if (client == null) {
            throw new IllegalStateException("no authenticated client on this request");
        }
        return client;
    }

    /** As configured, blank entries left out: {@code SubmittingClient} brings them into the contract's form. */
    private static List<String> senderDomains(IntakeConfig.Client client) {
        return client.senderDomains().orElse(List.of()).stream().filter(s -> !s.isBlank()).toList();
    }
}
