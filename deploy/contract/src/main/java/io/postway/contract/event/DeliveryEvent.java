package io.postway.contract.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.postway.contract.policy.EffectivePolicy;

import java.time.Instant;
import java.util.List;

/**
 * A CloudEvents 1.0 event on {@code mail.delivery-events}, key = messageId, in structured mode
 * (the record value is this JSON, header {@code content-type: application/cloudevents+json}; see
 * {@link CloudEventsKafka}). Build it with {@link DeliveryEvents}; read it with this record.
 *
 * <p>"Nothing" has one shape: {@code smtp}, {@code remote} and {@code tls} are always objects, with
 * {@code null} fields (and {@code tls.used=false}) when no SMTP session took place; {@code policy} is
 * {@code null} only when no policy was known (accepted, the router failing closed, an unroutable
 * domain, an admin's delete while {@code default} is unknown); {@code
 * transcript} is empty rather than absent.
 */
public record DeliveryEvent(String specversion, String id, String source, String type, Instant time, String subject,
                            String datacontenttype, Data data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String DATA_CONTENT_TYPE = "application/json";

    /**
     * {@code client} (extension) is the name of the client that submitted the message: set on
     * intake's {@code postway.message.accepted} events only (so the status view can be rebuilt from
     * the topic alone), and left out of the JSON everywhere else.
     *
     * <p>{@code failureType} (extension) is the RFC 8460 result type
     * ({@link io.postway.contract.tlsrpt.ResultType#wireName()}) of a deferred or bounced attempt that
     * failed on TLS or on the receiver's published TLS policy; null on every other event.
     */
    public record Data(String messageId, String recipient, String domain, String status, int attempt,
                       Smtp smtp, Remote remote, Tls tls, Policy policy, String diagnosis,
                       String failureType,
                       Instant nextAttemptAt, Instant submittedAt, Instant at, List<String> transcript,
                       MtaSts mtaSts, Dane dane, @JsonInclude(JsonInclude.Include.NON_NULL) String client) {

        public Data {
            // an event written before the extension reads with the one "not checked" shape
            mtaSts = mtaSts == null ? MtaSts.NOT_CHECKED : mtaSts;
            dane = dane == null ? Dane.NOT_CHECKED : dane;
        }

        /** The data of every event but intake's accepted one: no client. */
        public Data(String messageId, String recipient, String domain, String status, int attempt,
                    Smtp smtp, Remote remote, Tls tls, Policy policy, String diagnosis,
                    Instant nextAttemptAt, Instant submittedAt, Instant at, List<String> transcript) {
            this(messageId, recipient, domain, status, attempt, smtp, remote, tls, policy, diagnosis,
                    null, nextAttemptAt, submittedAt, at, transcript, MtaSts.NOT_CHECKED, Dane.NOT_CHECKED, null);
        }
    }

    /** The reply that decided the outcome and the step it came at ({@code stage}: CONNECT … DONE). */
    public record Smtp(Integer code, String enhancedCode, String text, String stage) {
        public static final Smtp NONE = new Smtp(null, null, null, null);
    }

    /** The host the session ran with; {@code via}: MX, A (implicit MX) or SMART_HOST. */
    public record Remote(String host, String ip, Integer port, String via) {
        public static final Remote NONE = new Remote(null, null, null, null);
    }

    public record Tls(boolean used, String protocol, String cipher, Boolean verified, String peerSubject,
                      String peerIssuer, Instant peerNotAfter, boolean fellBackToPlaintext) {
        public static final Tls NONE = new Tls(false, null, null, null, null, null, null, false);
    }

    /**
     * (extension) The DANE (RFC 7672) result of the attempt for the host it ended with. {@code status}: MATCH,
     * MISMATCH, NO_RECORDS, INSECURE, BOGUS, UNUSABLE or NOT_CHECKED (no look-up: {@code tls.dane} OFF,
     * no session, a smart host, or an event of intake or the router); {@code tlsaName} the TLSA owner
     * name looked up ({@code _25._tcp.mx.example.test}); {@code records} the TLSA records in
     * presentation form ({@code 3 1 1 <hex>}), empty when none; {@code failure} the RFC 8460 result
     * type DANE caused ({@code tlsa-invalid}, {@code dnssec-invalid}, {@code dane-required}), or null.
     */
    public record Dane(String status, String tlsaName, List<String> records, String failure) {
        public static final Dane NOT_CHECKED = new Dane("NOT_CHECKED", null, List.of(), null);

        public Dane {
            records = records == null ? List.of() : List.copyOf(records);
        }
    }

    /**
     * The domain's MTA-STS policy (RFC 8461) as this attempt met it (extension): {@code status} one of
     * {@link MtaStsStatus}; {@code policyId}/{@code policy} (the text as fetched)/{@code mxPatterns}
     * of the policy applied, when there was one; {@code failure} the RFC 8460 result type of the
     * failure the policy caused (or, under {@code TESTING}, would have caused); {@code reason} one
     * sentence on what happened (why ignored, why not checked, why the fetch failed).
     */
    public record MtaSts(String status, String policyId, String policy, List<String> mxPatterns, String failure,
                         String reason) {
        public static final MtaSts NOT_CHECKED = new MtaSts(MtaStsStatus.NOT_CHECKED.name(), null, null, List.of(), null, null);

        public MtaSts {
            mxPatterns = mxPatterns == null ? List.of() : List.copyOf(mxPatterns);
        }
    }

    /** What {@link MtaSts#status()} says. */
    public enum MtaStsStatus {
        /** A policy in mode enforce applied. */
        ENFORCE,
        /** A policy in mode testing: delivered as the rule says, a would-be failure recorded. */
        TESTING,
        /** A policy in mode none. */
        NONE,
        /** No {@code _mta-sts} TXT record (v=STSv1) for the domain. */
        NOT_PUBLISHED,
        /** The TXT record or the policy could not be fetched (and no unexpired policy was cached). */
        FETCH_ERROR,
        /** The policy fetched does not parse (RFC 8461 3.2): treated as no policy. */
        INVALID,
        /** The rule says {@code tls.mtaSts: IGNORE}; {@code reason} is the rule's. */
        IGNORED,
        /** Not looked at: no session to a domain's MX (intake's/router's events, smart-host routes). */
        NOT_CHECKED
    }

    /** The policy the attempt ran under: the rule that matched the domain, and its TLS demands. */
    public record Policy(String rule, long version, String tlsMode, String verify, String minVersion, String maxVersion) {

        public static Policy of(EffectivePolicy p) {
            var tls = p.tls();
            return new Policy(p.rule(), p.version(), name(tls.mode()), name(tls.verify()),
                    tls.minVersion() == null ? null : tls.minVersion().wireName(),
                    tls.maxVersion() == null ? null : tls.maxVersion().wireName());
        }

        private static String name(Enum<?> e) {
            return e == null ? null : e.name();
        }
    }

    /** The event's type as the closed enum; empty for a type this version does not know (a newer producer). */
    public java.util.Optional<EventType> eventType() {
        return EventType.fromType(type);
    }
}
