package io.postway.contract.policy;

import java.util.Map;

/**
 * Which policy applies to {@code domain} and why: the merged {@code policy}, the version of {@code
 * default} it was merged over, and per field path ({@link PolicyFields}) the rule it came from.
 */
public record PolicyResolution(String domain, EffectivePolicy policy, long defaultVersion, Map<String, String> sources) {
}
