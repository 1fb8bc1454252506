package io.postway.router.api;

import io.postway.router.config.RouterConfig;
import io.postway.web.BearerKeys;
import io.postway.web.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;

/**
 * The router's keys: the admin key administers the queue; the client key is known so that it is
 * refused with 403 (known, lacks the role) rather than 401.
 */
@ApplicationScoped
public class RouterKeys implements BearerKeys {

    @Inject
    RouterConfig config;

    @Override
    public List<BearerKey> keys() {
        List<BearerKey> keys = new ArrayList<>();
        keys.add(new BearerKey(config.adminKey(), "admin", Roles.ADMIN));
        config.clientKey().ifPresent(k -> keys.add(new BearerKey(k, "client", Roles.CLIENT)));
        return keys;
    }
}
