package io.postway.intake.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Everything intake-service reads from configuration, under {@code postway.intake}. */
@ConfigMapping(prefix = "postway.intake")
public interface IntakeConfig {

    /** Largest RFC 5322 message accepted, counted as it leaves (CRLF, encoded parts): over it, 413. */
    @WithDefault("10M")
    MemorySize maxMessageSize();

    /** Largest envelope (to + cc + bcc, or to= parameters): over it, 400. */
    @WithDefault("1000")
    int maxRecipients();

    /** The right-hand side of Message-IDs the intake adds. */
    @WithDefault("postway.local")
    String messageIdDomain();

    /** Names this instance in the CloudEvents' source, {@code /postway/intake-service/<instance>}. */
    @WithDefault("intake-1")
    String instance();

    Kafka kafka();

    Idempotency idempotency();

    /** Client name to its key and the sender domains it may use. */
    Map<String, Client> clients();

    interface Kafka {
        /** How long a submission waits for the broker's acknowledgement before answering 503. */
        @WithDefault("5s")
        Duration ackTimeout();
    }

    interface Idempotency {
        @WithDefault("PT24H")
        Duration ttl();

        /** How often answers older than the TTL are deleted (read by {@code IdempotencyCleanup}'s schedule). */
        @WithDefault("1h")
        String cleanupEvery();
    }

    interface Client {
        /** The bearer key; never logged. */
        String key();

        /** Envelope sender domains this client may use; absent or empty means any. */
        @WithName("sender-domains")
        Optional<List<String>> senderDomains();
    }
}
