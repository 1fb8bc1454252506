package io.postway.policy.domain;

import io.postway.contract.json.Durations;
import io.postway.contract.policy.PolicyFields;
import io.postway.contract.policy.PolicyRule;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What changed between two versions of a rule, for the history. A password never appears, not
 * even encrypted: its entry only says "set", "changed" or "removed".
 */
public final class PolicyDiff {

    public record Change(String field, String from, String to) {
    }

    private PolicyDiff() {
    }

    /** @param before null when the rule is created; @param after null when it is deleted */
    public static List<Change> between(PolicyRule before, PolicyRule after) {
        List<Change> changes = new ArrayList<>();
        for (PolicyFields.Field f : PolicyFields.ALL) {
            Object a = before == null ? null : f.get().apply(before);
            Object b = after == null ? null : f.get().apply(after);
            if (Objects.equals(a, b)) {
                continue;
            }
            if (f.path().equals("auth.password")) {
                changes.add(new Change(f.path(), null, b == null ? "removed" : a == null ? "set" : "changed"));
            } else {
                changes.add(new Change(f.path(), text(a), text(b)));
            }
        }
        return changes;
    }

    private static String text(Object value) {
        if (value instanceof java.time.Duration d) {
            return Durations.format(d);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(PolicyDiff::text).toList().toString();
        }
        return value == null ? null : value.toString();
    }
}
