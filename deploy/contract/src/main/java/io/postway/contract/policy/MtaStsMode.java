package io.postway.contract.policy;

/**
 * How a rule combines with the domain's published MTA-STS policy (RFC 8461; extension {@code tls.mtaSts}).
 * A rule can only be strengthened by an {@code enforce} policy under HONOR; IGNORE needs a reason, and
 * every event it applies to says IGNORED with that reason, so a weaker rule never wins silently.
 */
public enum MtaStsMode {
    /** The default: an {@code enforce} policy strengthens the rule (matching MX only, TLS with a valid certificate). */
    HONOR,
    /** The published policy is not applied; {@code tls.mtaStsIgnoreReason} says why. */
    IGNORE;

    /** A rule's or a merged policy's choice: unset means HONOR (a default stored before the extension). */
    public static MtaStsMode of(PolicyRule.Tls tls) {
        return tls.mtaSts() == null ? HONOR : tls.mtaSts();
    }
}
