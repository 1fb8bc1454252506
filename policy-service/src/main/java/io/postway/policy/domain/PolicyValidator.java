package io.postway.policy.domain;

import io.postway.contract.policy.AuthMethod;
import io.postway.contract.policy.DaneMode;
import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.policy.MtaStsMode;
import io.postway.contract.policy.PolicyFields;
import io.postway.contract.policy.PolicyResolution;
import io.postway.contract.policy.PolicyResolver;
import io.postway.contract.policy.PolicyRule;
import io.postway.contract.policy.SmartHost;
import io.postway.contract.policy.TlsMode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Refuses contradictory policies. {@link #validate} checks a rule on its own and the policy it
 * yields once merged over {@code default} (the contract's {@link PolicyResolver#merge}), so a
 * contradiction between a domain's field and one it inherits names both fields and the rules they
 * come from.
 */
public final class PolicyValidator {

    private PolicyValidator() {
    }

    /** All errors of {@code rule} (for {@code default}: {@code defaults} is ignored and may be null). */
    public static List<FieldError> validate(PolicyRule rule, PolicyRule defaults) {
        boolean isDefault = rule.isDefault();
        LinkedHashSet<FieldError> errors = new LinkedHashSet<>(validateOwn(rule, isDefault));
        if (errors.isEmpty()) {
            errors.addAll(validateMerged(rule, isDefault ? rule : defaults));
        }
        return List.copyOf(errors);
    }

    /** Checks of the rule's own values, whatever {@code default} holds. */
    public static List<FieldError> validateOwn(PolicyRule r, boolean isDefault) {
        List<FieldError> errors = new ArrayList<>();
        if (isDefault) {
            for (PolicyFields.Field f : PolicyFields.ALL) {
                if (!PolicyFields.nullable(f.path()) && f.get().apply(r) == null) {
                    errors.add(new FieldError(f.path(), "required: the default rule sets every field"));
                }
            }
        }
        errors.addAll(mtaStsChoice(r.tls()));
        var auth = r.auth();
        if (auth.username() != null && (auth.username().isBlank() || auth.username().length() > 256
                || auth.username().chars().anyMatch(c -> c < 0x20 || c == 0x7f))) {
            errors.add(new FieldError("auth.username", "must be 1 to 256 printable characters"));
        }
        if (auth.method() == AuthMethod.NONE && auth.username() != null) {
            errors.add(new FieldError("auth.username", "must be null when auth.method is NONE (no login is sent)"));
        }
        if (auth.method() == AuthMethod.NONE && auth.passwordEncrypted() != null) {
            errors.add(new FieldError("auth.password", "must be null when auth.method is NONE (no login is sent)"));
        }
        if (!isDefault && auth.method() != AuthMethod.NONE) {
            // the merge takes a login whole from one rule: a lone username would go without a password
            if (auth.username() != null && auth.passwordEncrypted() == null) {
                errors.add(new FieldError("auth.password", "required when the rule sets auth.username: "
                        + "username and password are set together, in the same rule"));
            }
            if (auth.username() == null && auth.passwordEncrypted() != null) {
                errors.add(new FieldError("auth.username", "required when the rule sets auth.password: "
                        + "username and password are set together, in the same rule"));
            }
        }
        if (r.route().smartHost() != null && SmartHost.normalize(r.route().smartHost()).isEmpty()) {
            errors.add(new FieldError("route.smartHost", "must be host[:port] (a host name, IPv4 address or [IPv6] address; port 1-65535)"));
        }
        if (r.route().port() != null && (r.route().port() < 1 || r.route().port() > 65535)) {
            errors.add(new FieldError("route.port", "must be between 1 and 65535"));
        }
        if (r.limits().maxConnections() != null && (r.limits().maxConnections() < 1 || r.limits().maxConnections() > 10_000)) {
            errors.add(new FieldError("limits.maxConnections", "must be between 1 and 10000"));
        }
        if (r.limits().messagesPerConnection() != null
                && (r.limits().messagesPerConnection() < 1 || r.limits().messagesPerConnection() > 1_000_000)) {
            errors.add(new FieldError("limits.messagesPerConnection", "must be between 1 and 1000000"));
        }
        List<Duration> intervals = r.retry().intervals();
        if (intervals != null) {
            if (intervals.isEmpty() || intervals.size() > 100) {
                errors.add(new FieldError("retry.intervals", "must list 1 to 100 durations"));
            }
            for (int i = 0; i < intervals.size(); i++) {
                if (intervals.get(i) == null || intervals.get(i).isNegative() || intervals.get(i).isZero()) {
                    errors.add(new FieldError("retry.intervals[" + i + "]", "must be a positive ISO-8601 duration such as PT15M"));
                }
            }
        }
        Duration expire = r.retry().expireAfter();
        if (expire != null && (expire.isNegative() || expire.isZero())) {
            errors.add(new FieldError("retry.expireAfter", "must be a positive ISO-8601 duration such as P2D"));
        }
        return errors;
    }

    /**
     * MTA-STS (extension): IGNORE only with a reason (it is recorded in every event it applies to, so
     * a weaker rule never wins silently over an enforce policy), and a reason only with IGNORE.
     */
    private static List<FieldError> mtaStsChoice(PolicyRule.Tls tls) {
        String reason = tls.mtaStsIgnoreReason();
        if (tls.mtaSts() == MtaStsMode.IGNORE && reason == null) {
            return List.of(new FieldError("tls.mtaStsIgnoreReason", "required when tls.mtaSts is IGNORE: say why the domain's MTA-STS policy is not applied"));
        }
        if (reason != null && tls.mtaSts() != MtaStsMode.IGNORE) {
            return List.of(new FieldError("tls.mtaStsIgnoreReason", "only with tls.mtaSts IGNORE (in the same rule)"));
        }
        if (reason != null && (reason.isBlank() || reason.length() > 500 || reason.chars().anyMatch(c -> c < 0x20 || c == 0x7f))) {
            return List.of(new FieldError("tls.mtaStsIgnoreReason", "must be 1 to 500 printable characters"));
        }
        return List.of();
    }

    /** Checks of the merged policy; messages say which rule each value comes from. */
    public static List<FieldError> validateMerged(PolicyRule rule, PolicyRule defaults) {
        PolicyResolution merged = PolicyResolver.merge(rule.rule(), rule, defaults);
        EffectivePolicy m = merged.policy();
        Map<String, String> src = merged.sources();
        List<FieldError> errors = new ArrayList<>();
        var tls = m.tls();
        if (Boolean.TRUE.equals(tls.fallbackToPlaintext()) && tls.mode() != TlsMode.OPPORTUNISTIC) {
            errors.add(new FieldError("tls.fallbackToPlaintext",
                    "true" + from(src, "tls.fallbackToPlaintext") + " is only allowed with tls.mode OPPORTUNISTIC, but tls.mode is "
                            + tls.mode() + from(src, "tls.mode")
                            + (tls.mode() == TlsMode.REQUIRED ? ": REQUIRED never falls back to plaintext" : "")));
        }
        if (tls.minVersion() != null && tls.maxVersion() != null && tls.minVersion().compareTo(tls.maxVersion()) > 0) {
            errors.add(new FieldError("tls.minVersion", tls.minVersion() + from(src, "tls.minVersion")
                    + " is above tls.maxVersion " + tls.maxVersion() + from(src, "tls.maxVersion")));
        }
        if (Boolean.TRUE.equals(tls.implicit()) && tls.mode() == TlsMode.DISABLED) {
            errors.add(new FieldError("tls.implicit", "true" + from(src, "tls.implicit")
                    + " means TLS from the first byte, which contradicts tls.mode DISABLED" + from(src, "tls.mode")));
        }
        if (tls.dane() == DaneMode.REQUIRED && tls.mode() == TlsMode.DISABLED) {
            errors.add(new FieldError("tls.dane", "REQUIRED" + from(src, "tls.dane")
                    + " needs TLS (DANE authenticates the TLS session), which contradicts tls.mode DISABLED" + from(src, "tls.mode")));
        }
        var auth = m.auth();
        if (auth.enabled()) {
            if (auth.username() == null) {
                errors.add(new FieldError("auth.username", "required when auth.method is " + auth.method() + from(src, "auth.method")));
            }
            if (auth.passwordEncrypted() == null) {
                errors.add(new FieldError("auth.password", "required when auth.method is " + auth.method() + from(src, "auth.method")));
            }
        }
        return errors;
    }

    private static String from(Map<String, String> sources, String field) {
        return " (from rule '" + sources.get(field) + "')";
    }
}
