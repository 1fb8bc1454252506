package io.postway.contract.policy;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * The complete policy for one domain at one moment, as {@code mail.outbound} carries it: every
 * field set (only {@code route.smartHost}, {@code auth.username} and {@code auth.passwordEncrypted}
 * may be {@code null}); {@code rule}/{@code version} name the rule that matched the domain.
 */
public record EffectivePolicy(String rule, long version, PolicyRule.Tls tls, PolicyRule.Auth auth,
                              PolicyRule.Route route, PolicyRule.Limits limits, PolicyRule.Retry retry) {

    /** Whether the merged credentials carry a password, as {@link PolicyRule#passwordSet()} says of one rule. */
    @JsonIgnore
    public boolean passwordSet() {
        return auth.passwordEncrypted() != null;
    }
}
