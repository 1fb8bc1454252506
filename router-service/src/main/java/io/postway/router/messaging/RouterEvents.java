package io.postway.router.messaging;

import io.postway.router.domain.EffectivePolicy;
import io.postway.router.domain.JobIds;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/** The delivery events for what the router itself decides: expired, bounced (deleted, invalid), deferred (fail closed). */
public final class RouterEvents {

    private final RecordSink sink;
    private final String topic;
    private final String source;

    public RouterEvents(RecordSink sink, String topic, String instance) {
        this.sink = sink;
        this.topic = topic;
        this.source = "/postway/router-service/" + instance;
    }

    public String source() {
        return source;
    }

    public CompletableFuture<Void> emit(String type, String messageId, String recipient, String domain, int attempt,
                                        EffectivePolicy policy, String diagnosis, Instant nextAttemptAt,
                                        Instant submittedAt, Instant at) {
        String status = type.substring(type.lastIndexOf('.') + 1).toUpperCase(Locale.ROOT);
        DeliveryEvent.Policy p = policy == null ? null : new DeliveryEvent.Policy(policy.rule(), policy.version(),
                policy.tls().mode(), policy.tls().verify(), policy.tls().minVersion(), policy.tls().maxVersion());
        Instant time = at.truncatedTo(ChronoUnit.MILLIS);
        DeliveryEvent event = new DeliveryEvent("1.0", JobIds.eventId(messageId, recipient, type, attempt).toString(),
                source, type, time, recipient, "application/json",
                new DeliveryEvent.Data(messageId, recipient, domain, status, attempt, DeliveryEvent.Smtp.NONE,
                        DeliveryEvent.Remote.NONE, DeliveryEvent.Tls.NONE, p, diagnosis, nextAttemptAt, submittedAt,
                        time, List.of()));
        return sink.send(topic, messageId, Json.write(event));
    }
}
