package io.postway.contract.review;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A CloudEvents 1.0 event on {@code mail.policy-reviews} (extension), key = rule, in structured mode
 * (header {@code content-type: application/cloudevents+json; charset=UTF-8}, as on
 * {@code mail.delivery-events}): the review of an insecure override found that the remote was fixed
 * ("fabrikam.com now accepts TLSv1.2: this override can go"). One event per finding: the id is a
 * name-based UUID of (domain, probeId) ({@link #eventId}), so a re-sent record is recognisably the same.
 */
public record OverrideFixedEvent(String specversion, String id, String source, String type, Instant time, String subject,
                                 String datacontenttype, Data data) {

    public static final String TYPE = "postway.policy.override-fixed";
    /** One source for every instance: the id alone (domain, probe) makes the event, whichever instance relays it. */
    public static final String SOURCE = "/postway/policy-service";

    /**
     * {@code rule} is the exact-domain rule under review (equal to {@code domain}), {@code ruleVersion}
     * its version when the probe was judged, {@code weakens} the review's list of weakened settings;
     * {@code removal} the request that drops the override's TLS settings (null when none can be named).
     */
    public record Data(String domain, String rule, long ruleVersion, String note, String probeId, Instant probedAt,
                       List<String> weakens, Removal removal) {
    }

    /** An HTTP request to policy-service's API: method, path, headers to send and the JSON body. */
    public record Removal(String method, String path, Map<String, String> headers, JsonNode body) {
    }

    public static OverrideFixedEvent of(Data data) {
        return new OverrideFixedEvent("1.0", eventId(data.domain(), data.probeId()), SOURCE, TYPE, data.probedAt(),
                data.domain(), "application/json", data);
    }

    /** The deterministic id: a name-based UUID of (domain, probeId). */
    public static String eventId(String domain, String probeId) {
        return UUID.nameUUIDFromBytes((TYPE + "|" + domain + "|" + probeId).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
