package io.postway.router.domain;

import java.util.Map;

/**
 * The complete policy for one domain at one moment: the matching rule's fields where it sets them,
 * {@code default}'s elsewhere. {@code rule}/{@code version} name the matching rule;
 * {@code fieldSources} names, per field ({@code tls.mode}, {@code retry.intervals}, ...), the rule
 * it came from.
 */
public record EffectivePolicy(String rule, long version,
                              PolicyRule.Tls tls, PolicyRule.Auth auth, PolicyRule.Route route,
                              PolicyRule.Limits limits, PolicyRule.Retry retry,
                              Map<String, String> fieldSources) {
}
