package io.postway.policy.tlsrpt;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.postway.contract.event.EventType;
import io.postway.contract.json.ContractJson;
import io.postway.contract.tlsrpt.PolicyType;
import io.postway.contract.tlsrpt.ResultType;

import java.io.IOException;
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
 *
 * <p>{@link #read(byte[])} reads a record value with a streaming parse that builds only the fields
 * named here ({@link #EVENT_FIELDS}, {@link #DATA_FIELDS}) and skips the rest without decoding it
 * (the transcript, the policy, the SMTP reply): every delivery event passes through this reader.
 */
public final class Attempts {

    private static final Set<String> STS_APPLIES = Set.of("ENFORCE", "TESTING");
    private static final Set<String> TLSA_APPLIES = Set.of("MATCH", "MISMATCH");
    private static final Set<String> SESSION_OUTCOMES = Set.of(EventType.DELIVERED.type(), EventType.DEFERRED.type(),
            EventType.BOUNCED.type());

    /** What {@link #of} reads of an event, and of its {@code data}; the rest is skipped unread. */
    private static final Set<String> EVENT_FIELDS = Set.of("id", "type");
    private static final Set<String> DATA_FIELDS = Set.of("messageId", "domain", "attempt", "remote", "tls",
            "diagnosis", "failureType", "at", "mtaSts", "dane");

    private Attempts() {
    }

    /** A {@code mail.delivery-events} record value (UTF-8 JSON) as an attempt; throws when it is no JSON object. */
    public static Optional<Attempt> read(byte[] json) throws IOException {
        try (JsonParser p = ContractJson.MAPPER.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            ObjectNode event = ContractJson.MAPPER.createObjectNode();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (EVENT_FIELDS.contains(name)) {
                    event.set(name, ContractJson.MAPPER.readTree(p));
                    // the type comes before the data as the contract's builder writes it: intake's accepted events end here
                    if (name.equals("type") && !SESSION_OUTCOMES.contains(event.path("type").asText())) {
                        return Optional.empty();
                    }
                } else if (name.equals("data") && value == JsonToken.START_OBJECT) {
                    event.set("data", dataFields(p));
                } else {
                    p.skipChildren();
                }
            }
            return of(event);
        }
    }

    private static ObjectNode dataFields(JsonParser p) throws IOException {
        ObjectNode data = ContractJson.MAPPER.createObjectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            if (DATA_FIELDS.contains(name)) {
                data.set(name, ContractJson.MAPPER.readTree(p));
            } else {
                p.skipChildren();
            }
        }
        return data;
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
