package io.postway.contract.event;

import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.tlsrpt.ResultType;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The one way to make a {@link DeliveryEvent}: a service creates one {@code DeliveryEvents} with its
 * name and instance (the CloudEvents {@code source} {@code /postway/<service>/<instance>}) and asks
 * it for each event.
 *
 * <p>The event id is deterministic: a name-based UUID of (messageId, recipient, type, attempt), so
 * a replayed job or a redelivered record emits the same id and a consumer can drop the duplicate
 * (CloudEvents: {@code source} + {@code id} identify an event; Postway's ids are also unique across
 * sources, since at most one service emits a given type for a given attempt).
 */
public final class DeliveryEvents {

    private final String source;

    public DeliveryEvents(String service, String instance) {
        this.source = "/postway/" + service + "/" + instance;
    }

    public String source() {
        return source;
    }

    /** The id of the event of {@code type} for {@code recipient} of {@code messageId} at {@code attempt}. */
    public static String eventId(String messageId, String recipient, EventType type, int attempt) {
        String name = String.join("\u0000", "event", messageId, recipient, type.type(), Integer.toString(attempt));
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** Starts an event; {@code domain} is the recipient's canonical domain; {@code at} when it happened. */
    public Builder event(EventType type, String messageId, String recipient, String domain, int attempt, Instant at) {
        return new Builder(type, messageId, recipient, domain, attempt, at);
    }

    /** Collects the optional parts; whatever is not set keeps the contract's "nothing" shape. */
    public final class Builder {
        private final EventType type;
        private final String messageId;
        private final String recipient;
        private final String domain;
        private final int attempt;
        private final Instant at;
        private DeliveryEvent.Smtp smtp = DeliveryEvent.Smtp.NONE;
        private DeliveryEvent.Remote remote = DeliveryEvent.Remote.NONE;
        private DeliveryEvent.Tls tls = DeliveryEvent.Tls.NONE;
        private DeliveryEvent.Policy policy;
        private String diagnosis;
        private ResultType failureType;
        private Instant nextAttemptAt;
        private Instant submittedAt;
        private List<String> transcript = List.of();
        private DeliveryEvent.MtaSts mtaSts = DeliveryEvent.MtaSts.NOT_CHECKED;
        private String client;
        private DeliveryEvent.Dane dane = DeliveryEvent.Dane.NOT_CHECKED;

        private Builder(EventType type, String messageId, String recipient, String domain, int attempt, Instant at) {
            this.type = Objects.requireNonNull(type);
            this.messageId = Objects.requireNonNull(messageId);
            this.recipient = Objects.requireNonNull(recipient);
            this.domain = domain;
            this.attempt = attempt;
            // milliseconds: what every consumer's clock type holds, and the same value in time and data.at
            this.at = at.truncatedTo(ChronoUnit.MILLIS);
        }

        public Builder smtp(DeliveryEvent.Smtp value) {
            smtp = value == null ? DeliveryEvent.Smtp.NONE : value;
            return this;
        }

        public Builder remote(DeliveryEvent.Remote value) {
            remote = value == null ? DeliveryEvent.Remote.NONE : value;
            return this;
        }

        public Builder tls(DeliveryEvent.Tls value) {
            tls = value == null ? DeliveryEvent.Tls.NONE : value;
            return this;
        }

        public Builder policy(EffectivePolicy value) {
            policy = value == null ? null : DeliveryEvent.Policy.of(value);
            return this;
        }

        public Builder policy(DeliveryEvent.Policy value) {
            policy = value;
            return this;
        }

        public Builder diagnosis(String value) {
            diagnosis = value;
            return this;
        }

        /** The RFC 8460 result type of a failed attempt (extension); a delivered or accepted event has none. */
        public Builder failureType(ResultType value) {
            if (value != null && type != EventType.DEFERRED && type != EventType.BOUNCED) {
                throw new IllegalArgumentException("only a deferred or bounced event has a failure type, not " + type);
            }
            failureType = value;
            return this;
        }

        /** Only a DEFERRED event promises a next attempt; the value comes from the retry schedule. */
        public Builder nextAttemptAt(Instant value) {
            if (value != null && type != EventType.DEFERRED) {
                throw new IllegalArgumentException("only a deferred event has a next attempt, not " + type);
            }
            nextAttemptAt = value == null ? null : value.truncatedTo(ChronoUnit.MILLIS);
            return this;
        }

        public Builder submittedAt(Instant value) {
            submittedAt = value;
            return this;
        }

        public Builder transcript(List<String> value) {
            transcript = value == null ? List.of() : List.copyOf(value);
            return this;
        }

        /** The attempt's DANE result (extension); NOT_CHECKED unless set. */
        public Builder dane(DeliveryEvent.Dane value) {
            dane = value == null ? DeliveryEvent.Dane.NOT_CHECKED : value;
            return this;
        }

        /** The MTA-STS result of the attempt (extension); NOT_CHECKED unless set. */
        public Builder mtaSts(DeliveryEvent.MtaSts value) {
            mtaSts = value == null ? DeliveryEvent.MtaSts.NOT_CHECKED : value;
            return this;
        }

        /** Only intake's accepted event names the submitting client (extension: the status view is rebuilt from it). */
        public Builder client(String value) {
            if (value != null && type != EventType.ACCEPTED) {
                throw new IllegalArgumentException("only an accepted event names the client, not " + type);
            }
            client = value;
            return this;
        }

        public DeliveryEvent build() {
            var data = new DeliveryEvent.Data(messageId, recipient, domain, type.status(), attempt, smtp, remote, tls,
                    policy, diagnosis, failureType == null ? null : failureType.wireName(), nextAttemptAt, submittedAt, at, transcript,
                    mtaSts, dane, client);
            return new DeliveryEvent(DeliveryEvent.SPEC_VERSION, eventId(messageId, recipient, type, attempt), source,
                    type.type(), at, recipient, DeliveryEvent.DATA_CONTENT_TYPE, data);
        }
    }
}
