package io.postway.policy.api;

import io.postway.policy.config.PolicyConfig;
import io.postway.web.BearerKeys;
import io.postway.web.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/**
 * The policy service's keys: the admin key administers policies (and reads /internal); the intake
 * client's key is known so that it is refused with 403 (known, lacks the role) rather than 401.
 */
@ApplicationScoped
public class PolicyKeys implements BearerKeys {

    @Inject
    PolicyConfig config;

    @Override
    public List<BearerKey> keys() {
        return List.of(new BearerKey(config.adminKey(), "admin", Roles.ADMIN),
                new BearerKey(config.clientKey(), "client", Roles.CLIENT));
    }
}
