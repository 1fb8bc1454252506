package io.postway.policy.domain;

import java.util.List;

/**
 * Why the policy-service refuses a request, in its own terms; the REST layer decides how each
 * reads as a response. The message is the detail a person acts on: it never quotes a password.
 */
public abstract sealed class PolicyException extends RuntimeException {

    PolicyException(String detail) {
        super(detail, null, false, false);
    }

    /** No rule of that name exists (or never had a history). */
    public static final class RuleNotFound extends PolicyException {
        public RuleNotFound(String detail) {
            super(detail);
        }
    }

    /** An edit was based on another version than the current one (or on a rule that does not exist). */
    public static final class VersionMismatch extends PolicyException {
        private final Long currentVersion;

        /** @param currentVersion null when the rule does not exist */
        public VersionMismatch(String detail, Long currentVersion) {
            super(detail);
            this.currentVersion = currentVersion;
        }

        public Long currentVersion() {
            return currentVersion;
        }
    }

    /** The rule (or its name, or the domain asked about) is invalid: every reason at once. */
    public static final class InvalidPolicy extends PolicyException {
        private final List<FieldError> errors;

        public InvalidPolicy(List<FieldError> errors) {
            super(errors.stream().map(e -> e.field() + ": " + e.message()).reduce((a, b) -> a + "; " + b).orElse("invalid"));
            this.errors = List.copyOf(errors);
        }

        public InvalidPolicy(String field, String message) {
            this(List.of(new FieldError(field, message)));
        }

        public List<FieldError> errors() {
            return errors;
        }
    }

    /** A new {@code default} would make the merged policy of these domain rules invalid. */
    public static final class DefaultBreaksDomains extends PolicyException {

        /** One domain rule the new default would break, and how. */
        public record Conflict(String rule, List<FieldError> errors) {
        }

        private final List<Conflict> conflicts;

        public DefaultBreaksDomains(List<Conflict> conflicts) {
            super("This default would make the merged policy of these rules invalid: "
                    + String.join(", ", conflicts.stream().map(Conflict::rule).toList()) + ". Change those rules first.");
            this.conflicts = List.copyOf(conflicts);
        }

        public List<Conflict> conflicts() {
            return conflicts;
        }
    }

    /** {@code default} holds what every domain falls back to: it is changed, never deleted. */
    public static final class DefaultNotDeletable extends PolicyException {
        public DefaultNotDeletable() {
            super("The default rule holds the server-wide settings every domain falls back to; change it instead");
        }
    }

    /** A password was sent but no key is configured to store it encrypted. */
    public static final class NoSecretKey extends PolicyException {
        public NoSecretKey() {
            super("POSTWAY_SECRET_KEYS is not set, so a remote-login password cannot be stored encrypted");
        }
    }
}
