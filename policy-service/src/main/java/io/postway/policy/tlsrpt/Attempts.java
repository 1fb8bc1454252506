package io.postway.policy.tlsrpt;

import com.fasterxml.jackson.databind.JsonNode;
import io.postway.contract.event.EventType;
import io.postway.contract.tlsrpt.PolicyType;
import io.postway.contract.tlsrpt.ResultType;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a delivery event as a TLS-RPT attempt. Only delivery's outcomes of a session count
 * (delivered, deferred, bounced with a remote host); an attempt is a success when TLS was used and
 * nothing failed, a failure when it has a result type, and not counted when neither (no TLS was
 * negotiated and none failed: a plaintext delivery, a refused connection).
 *
 * <p>The policy (contract.md, "TLS-RPT"): {@code sts} when {@code data.mtaSts.status} is ENFORCE or
 * TESTING (policy-string = the policy's lines, mx-host = its patterns), else {@code tlsa} when
 * {@code data.dane.status} is MATCH or MISMATCH (policy-string = the TLSA records, mx-host = the MX
 * host), else {@code no-policy-found}. The objects are read by name, so events without them (before
 * MTA-STS and DANE are checked) read as {@code no-policy-found}. The result is the event's
 * {@code failureType}, else the policy's own failure (a TESTING policy reports what would have failed).
 */
public final class Attempts {

    private static final Set<String> STS_APPLIES = Set.of("ENFORCE", "TESTING");
    private static final Set<String> TLSA_APPLIES = Set.of("MATCH", "MISMATCH");
    private static final Set<String> SESSION_OUTCOMES = Set.of(EventType.DELIVERED.type(), EventType.DEFERRED.type(),
            EventType.BOUNCED.type());

    private Attempts() {
    }

    public static Optional<Attempt> of(JsonNode event) {
        JsonNode data = event.path("data");
        String host = text(data.path("remote").path("host"));
        String domain = text(data.path("domain"));
        if (!SESSION_OUTCOMES.contains(event.path("type").asText()) || host == null || domain == null) {
            return Optional.empty();
        }
        JsonNode sts = data.path("mtaSts");
        JsonNode dane = data.path("dane");
        PolicyType type;
        List<String> strings;
        List<String> mxHost;
        String policyFailure;
        if (STS_APPLIES.contains(sts.path("status").asText())) {
            type = PolicyType.STS;
            strings = lines(text(sts.path("policy")));
            mxHost = strings(sts.path("mxPatterns"));
            policyFailure = text(sts.path("failure"));
        } else if (TLSA_APPLIES.contains(dane.path("status").asText())) {
            type = PolicyType.TLSA;
            strings = strings(dane.path("records"));
            mxHost = List.of(host);
            policyFailure = text(dane.path("failure"));
        } else {
            type = PolicyType.NO_POLICY_FOUND;
            strings = List.of();
            mxHost = List.of();
            policyFailure = null;
        }
        Optional<ResultType> failure = ResultType.fromWireName(text(data.path("failureType")))
                .or(() -> ResultType.fromWireName(policyFailure));
        if (failure.isEmpty() && !data.path("tls").path("used").asBoolean(false)) {
            return Optional.empty();
        }
        Instant at = Instant.parse(data.path("at").asText());
        return Optional.of(new Attempt(event.path("id").asText(), LocalDate.ofInstant(at, ZoneOffset.UTC), domain,
                data.path("messageId").asText(), data.path("attempt").asInt(), type, strings, mxHost, failure.orElse(null),
                host, text(data.path("remote").path("ip")), failure.isPresent() ? text(data.path("diagnosis")) : null, at));
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() || n.asText().isEmpty() ? null : n.asText();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return List.copyOf(out);
    }

    /** The policy text as RFC 8460 §4.4 wants it: one string per line, without line endings. */
    private static List<String> lines(String text) {
        return text == null ? List.of()
                : text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
