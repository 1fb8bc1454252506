package io.postway.policy.domain;

/** One reason a policy is refused, naming the JSON field (dotted path) a person has to fix. */
public record FieldError(String field, String message) {
}
