package io.postway.policy.config;

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

    interface Seed {
        /** Smart host of {@code default} when it is first created; empty = plain MX routing. */
        Optional<String> defaultSmartHost();
    }

    interface Publisher {
        /** How often pending outbox rows are retried when no change nudged the publisher. */
        @WithDefault("5s")
        Duration interval();

        /** How long one record may wait for the broker's acknowledgement. */
        @WithDefault("15s")
        Duration sendTimeout();
    }

    interface Topic {
        @WithDefault("1")
        int partitions();

        @WithDefault("1")
        short replicationFactor();
    }
}
