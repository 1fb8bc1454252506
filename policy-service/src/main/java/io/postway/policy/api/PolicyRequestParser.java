package io.postway.policy.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.postway.contract.json.ContractJson;
import io.postway.contract.json.Durations;
import io.postway.contract.policy.AuthMethod;
import io.postway.contract.policy.PolicyRule;
import io.postway.contract.policy.MtaStsMode;
import io.postway.contract.policy.SmartHost;
import io.postway.contract.policy.DaneMode;
import io.postway.contract.policy.TlsMode;
import io.postway.contract.policy.TlsVerify;
import io.postway.contract.policy.TlsVersion;
import io.postway.policy.domain.FieldError;
import io.postway.policy.domain.PolicyException;
import io.postway.policy.domain.PolicyInput;
import io.postway.policy.domain.RuleName;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a PUT body strictly: unknown fields, wrong types and unknown enum values are refused with
 * the field's path, all at once. Read-only fields of a response ({@code version}, {@code updatedAt},
 * {@code updatedBy}, {@code passwordSet}) are accepted and ignored so a GET body can be sent back.
 * Error messages never echo a value, so a password typed into the wrong field cannot leak.
 */
public final class PolicyRequestParser {

    private static final Set<String> TOP = Set.of("rule", "version", "tls", "auth", "route", "limits", "retry", "updatedAt", "updatedBy",
            "review");
    /** Only {@code due} is read; the rest is what a GET shows, accepted so that a GET body can be sent back. */
    private static final Set<String> REVIEW = Set.of("due", "overdue", "weakens", "lastProbeId", "lastProbeAt", "remoteFixedAt", "note");
    private static final Set<String> TLS = Set.of("mode", "verify", "minVersion", "maxVersion", "fallbackToPlaintext", "implicit",
            "dane", "mtaSts", "mtaStsIgnoreReason");
    private static final Set<String> AUTH = Set.of("method", "username", "password", "passwordSet");
    private static final Set<String> ROUTE = Set.of("smartHost", "port");
    private static final Set<String> LIMITS = Set.of("maxConnections", "messagesPerConnection");
    private static final Set<String> RETRY = Set.of("intervals", "expireAfter");

    private final List<FieldError> errors = new ArrayList<>();

    private PolicyRequestParser() {
    }

    public static PolicyInput parse(String body, String pathRule) {
        return new PolicyRequestParser().read(body, pathRule);
    }

    private PolicyInput read(String body, String pathRule) {
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : ContractJson.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new PolicyException.InvalidPolicy("body", "not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new PolicyException.InvalidPolicy("body", "must be a JSON object");
        }
        unknown(root, "", TOP);
        JsonNode ruleNode = root.get("rule");
        if (ruleNode != null && !ruleNode.isNull()) {
            var inBody = ruleNode.isTextual() ? RuleName.parse(ruleNode.asText()) : java.util.Optional.<RuleName>empty();
            var inPath = RuleName.parse(pathRule);
            if (inBody.isEmpty() || inPath.isEmpty() || !inBody.get().equals(inPath.get())) {
                errors.add(new FieldError("rule", "must be the rule named in the path"));
            }
        }
        JsonNode tls = group(root, "tls", TLS);
        JsonNode auth = group(root, "auth", AUTH);
        JsonNode route = group(root, "route", ROUTE);
        JsonNode limits = group(root, "limits", LIMITS);
        JsonNode retry = group(root, "retry", RETRY);

        var tlsRec = new PolicyRule.Tls(
                enumValue(tls, "tls.mode", "mode", TlsMode::valueOf, TlsMode.values()),
                enumValue(tls, "tls.verify", "verify", TlsVerify::valueOf, TlsVerify.values()),
                version(tls, "tls.minVersion", "minVersion"),
                version(tls, "tls.maxVersion", "maxVersion"),
                bool(tls, "tls.fallbackToPlaintext", "fallbackToPlaintext"),
                bool(tls, "tls.implicit", "implicit"),
                enumValue(tls, "tls.dane", "dane", DaneMode::valueOf, DaneMode.values()),
                enumValue(tls, "tls.mtaSts", "mtaSts", MtaStsMode::valueOf, MtaStsMode.values()),
                text(tls, "tls.mtaStsIgnoreReason", "mtaStsIgnoreReason"));
        String password = text(auth, "auth.password", "password");
        if (password != null && password.isEmpty()) {
            errors.add(new FieldError("auth.password", "must not be empty; omit it to keep the stored password"));
        }
        if (auth != null && auth.has("passwordSet") && !auth.get("passwordSet").isNull() && !auth.get("passwordSet").isBoolean()) {
            errors.add(new FieldError("auth.passwordSet", "must be a boolean (it is ignored: send password to change it)"));
        }
        var authRec = new PolicyRule.Auth(
                enumValue(auth, "auth.method", "method", AuthMethod::valueOf, AuthMethod.values()),
                text(auth, "auth.username", "username"), null);
        String smartHost = text(route, "route.smartHost", "smartHost");
        if (smartHost != null) {
            // the canonical form is stored; a value that is not host[:port] stays as sent for PolicyValidator to refuse
            smartHost = SmartHost.normalize(smartHost).orElse(smartHost);
        }
        var routeRec = new PolicyRule.Route(smartHost, integer(route, "route.port", "port"));
        var limitsRec = new PolicyRule.Limits(integer(limits, "limits.maxConnections", "maxConnections"),
                integer(limits, "limits.messagesPerConnection", "messagesPerConnection"));
        var retryRec = new PolicyRule.Retry(intervals(retry), duration(retry, "retry.expireAfter", "expireAfter"));
        JsonNode review = group(root, "review", REVIEW);
        java.time.Instant reviewDue = instant(review, "review.due", "due");

        if (!errors.isEmpty()) {
            throw new PolicyException.InvalidPolicy(errors);
        }
        return new PolicyInput(new PolicyRule(pathRule, 0, tlsRec, authRec, routeRec, limitsRec, retryRec, null, null), password, reviewDue);
    }

    private void unknown(JsonNode node, String prefix, Set<String> known) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                errors.add(new FieldError(prefix + name, "unknown field"));
            }
        }
    }

    private JsonNode group(JsonNode root, String name, Set<String> known) {
        JsonNode g = root.get(name);
        if (g == null || g.isNull()) {
            return null;
        }
        if (!g.isObject()) {
            errors.add(new FieldError(name, "must be an object or null"));
            return null;
        }
        unknown(g, name + ".", known);
        return g;
    }

    private JsonNode value(JsonNode group, String name) {
        if (group == null) {
            return null;
        }
        JsonNode v = group.get(name);
        return v == null || v.isNull() ? null : v;
    }

    private <E extends Enum<E>> E enumValue(JsonNode group, String path, String name, Function<String, E> parse, E[] all) {
        JsonNode v = value(group, name);
        if (v == null) {
            return null;
        }
        try {
            if (v.isTextual()) {
                return parse.apply(v.asText());
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        errors.add(new FieldError(path, "must be one of " + Arrays.toString(all)));
        return null;
    }

    private TlsVersion version(JsonNode group, String path, String name) {
        JsonNode v = value(group, name);
        if (v == null) {
            return null;
        }
        var parsed = v.isTextual() ? TlsVersion.fromWireName(v.asText()) : java.util.Optional.<TlsVersion>empty();
        if (parsed.isEmpty()) {
            errors.add(new FieldError(path, "must be one of " + Arrays.toString(TlsVersion.values())));
        }
        return parsed.orElse(null);
    }

    private Boolean bool(JsonNode group, String path, String name) {
        JsonNode v = value(group, name);
        if (v == null) {
            return null;
        }
        if (!v.isBoolean()) {
            errors.add(new FieldError(path, "must be true, false or null"));
            return null;
        }
        return v.asBoolean();
    }

    private String text(JsonNode group, String path, String name) {
        JsonNode v = value(group, name);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            errors.add(new FieldError(path, "must be a string or null"));
            return null;
        }
        return v.asText();
    }

    private Integer integer(JsonNode group, String path, String name) {
        JsonNode v = value(group, name);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            errors.add(new FieldError(path, "must be a whole number or null"));
            return null;
        }
        return v.asInt();
    }

    private java.time.Instant instant(JsonNode group, String path, String name) {
        JsonNode v = value(group, name);
        if (v == null) {
            return null;
        }
        try {
            if (v.isTextual()) {
                return java.time.OffsetDateTime.parse(v.asText()).toInstant();
            }
        } catch (java.time.format.DateTimeParseException e) {
            // reported below
        }
        errors.add(new FieldError(path, "must be an RFC 3339 time such as 2026-12-31T00:00:00Z"));
        return null;
    }

    private Duration duration(JsonNode group, String path, String name) {
        JsonNode v = value(group, name);
        if (v == null) {
            return null;
        }
        var d = v.isTextual() ? Durations.parse(v.asText()) : java.util.Optional.<Duration>empty();
        if (d.isEmpty()) {
            errors.add(new FieldError(path, "must be an ISO-8601 duration such as PT15M or P2D"));
        }
        return d.orElse(null);
    }

    private List<Duration> intervals(JsonNode retry) {
        JsonNode v = value(retry, "intervals");
        if (v == null) {
            return null;
        }
        if (!v.isArray()) {
            errors.add(new FieldError("retry.intervals", "must be an array of ISO-8601 durations"));
            return null;
        }
        List<Duration> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            var d = item.isTextual() ? Durations.parse(item.asText()) : java.util.Optional.<Duration>empty();
            if (d.isEmpty()) {
                errors.add(new FieldError("retry.intervals[" + i + "]", "must be an ISO-8601 duration such as PT15M"));
            } else {
                out.add(d.get());
            }
        }
        return out;
    }
}
