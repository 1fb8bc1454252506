package io.postway.policy.domain;

import java.util.Map;

/**
 * The policy that applies to one domain: {@code policy} is complete (its {@code rule}/{@code version}
 * are those of the matched rule) and {@code sources} names, per field path, the rule it came from.
 */
public record EffectivePolicy(String domain, PolicyRule policy, long defaultVersion, Map<String, String> sources) {
}
