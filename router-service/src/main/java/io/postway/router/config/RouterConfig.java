package io.postway.router.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Everything router-service reads from configuration ({@code postway.router.*}). */
@ConfigMapping(prefix = "postway.router")
public interface RouterConfig {

    /** Names this replica in event sources: {@code /postway/router-service/<instance>}. */
    String instance();

    String adminKey();

    /** Known so that a client key on the admin API is a 403 (known, not allowed), not a 401. */
    Optional<String> clientKey();

    Topics topics();

    Kafka kafka();

    Policy policy();

    Queue queue();

    interface Topics {
        @WithDefault(io.postway.contract.Topics.SUBMITTED)
        String submitted();

        @WithDefault(io.postway.contract.Topics.OUTBOUND)
        String outbound();

        @WithDefault(io.postway.contract.Topics.DEFERRED)
        String deferred();

        @WithDefault(io.postway.contract.Topics.DELIVERY_EVENTS)
        String deliveryEvents();

        @WithDefault(io.postway.contract.Topics.POLICY_CHANGES)
        String policyChanges();
    }

    /**
     * Client settings of the router's own; the broker's address and security come from {@code kafka.*}.
     * The channels' own settings (group {@code router}, offset reset) are their {@code mp.messaging.*}
     * keys in {@code application.properties}.
     */
    interface Kafka {
        /**
         * The largest record read or written: {@link io.postway.contract.Topics#MAX_RECORD_BYTES} (an
         * annotation needs a literal; {@code RouterConfigTest} checks that it is that constant). The
         * channels' size keys in {@code application.properties} default to the same.
         */
        @WithDefault("20971520")
        int maxRecordBytes();
    }

    interface Policy {
        /** policy-service base URL, for the REST fallback. */
        String url();

        /** How long the start waits for mail.policy-changes to be read to its end before asking policy-service. */
        @WithDefault("PT15S")
        Duration initialLoadTimeout();

        /** At most one REST fallback call per this interval while default is unknown. */
        @WithDefault("PT2S")
        Duration fallbackMinInterval();

        @WithDefault("PT3S")
        Duration fallbackTimeout();
    }

    interface Queue {
        /** When the policy is unknown there is no retry schedule: look again after this. */
        @WithDefault("PT1M")
        Duration unknownPolicyRetry();

        /** Entries one claimer locks and routes per transaction. */
        @WithDefault("50")
        int claimBatchSize();

        /** How often due entries are looked for: read by {@code QueueScheduler}'s {@code @Scheduled} expression, not in Java. */
        @WithDefault("1s")
        String scanEvery();

        /** How often the queue gauges are refreshed from the database: read by {@code QueueScheduler}'s expression too. */
        @WithDefault("5s")
        String metricsEvery();
    }
}
