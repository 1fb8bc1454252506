package io.postway.policy.config;

import io.postway.contract.Topics;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** All settings of policy-service ({@code postway.policy.*}). */
@ConfigMapping(prefix = "postway.policy")
public interface PolicyConfig {

    /** Bearer key that administers policies ({@code POSTWAY_ADMIN_KEY}). */
    String adminKey();

    /** The intake client's key ({@code POSTWAY_CLIENT_KEY}): known, but refused here with 403. */
    String clientKey();

    /** {@code keyId:base64-32-bytes[,…]} ({@code POSTWAY_SECRET_KEYS}); without it no password can be stored. */
    Optional<String> secretKeys();

    Seed seed();

    Publisher publisher();

    Topic topic();

    Probe probe();

    Review review();

    interface Seed {
        /**
         * Whether {@code default}, when first created, routes to the local stack's catcher: the
         * smart host then comes from {@code POSTWAY_LOCAL_SMART_HOST} (unset = {@code 127.0.0.1:2525},
         * set but empty = plain MX routing). Read from the environment directly because
         * configuration cannot tell an empty variable from an unset one.
         */
        @WithDefault("false")
        boolean localSmartHost();
    }

    interface Publisher {
        /** How often pending outbox rows are retried when no change nudged the publisher. */
        @WithDefault("5s")
        Duration interval();

        /** Re-publish every current rule at start (repairs a topic that lost its data). */
        @WithDefault("true")
        boolean resyncOnStart();

        /** How long one record may wait for the broker's acknowledgement. */
        @WithDefault("15s")
        Duration sendTimeout();
    }

    interface Topic {
        /**
         * The contract's {@code mail.policy-changes}; tests use their own so that their
         * {@code default} rule never replaces the running stack's one on the shared broker.
         */
        @WithDefault(Topics.POLICY_CHANGES)
        String name();

        @WithDefault("1")
        int partitions();

        @WithDefault("1")
        short replicationFactor();
    }

    /** Domain probes: asked of delivery on {@code mail.probe-requests}, answered on {@code mail.probe-results}. */
    interface Probe {
        @WithDefault(Topics.PROBE_REQUESTS)
        String requestsTopic();

        @WithDefault(Topics.PROBE_RESULTS)
        String resultsTopic();

        /** The consumer group that reads the answers (one reader per policy-service instance takes each). */
        @WithDefault("policy-probe-results")
        String resultsGroup();

        /** A probe delivery has not answered in this time ends FAILED (no delivery running, a lost answer). */
        @WithDefault("5m")
        Duration answerTimeout();

        /** How long a probe request may wait for the broker's acknowledgement before the POST is a 503. */
        @WithDefault("10s")
        Duration sendTimeout();
    }

    /** Rules that weaken TLS below default are temporary: a review date and a scheduled re-probe. */
    interface Review {
        /** The review date a weakening rule gets when the request names none: this long after the change. */
        @WithDefault("30d")
        Duration defaultPeriod();

        /** How often the domain of a weakening rule is probed again. */
        @WithDefault("1d")
        Duration reprobeEvery();

        /** How often the scheduler looks for domains due for a re-probe. */
        @WithDefault("1h")
        Duration checkEvery();
    }
}
