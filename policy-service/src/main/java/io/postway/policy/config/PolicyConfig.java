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

    TlsReports tlsReports();

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

        /** Where each "this override can go" finding is published (extension; from an outbox, see PolicyReviewPublisher). */
        @WithDefault(Topics.POLICY_REVIEWS)
        String eventsTopic();
    }

    /**
     * TLS-RPT (RFC 8460): the daily aggregate reports built from {@code mail.delivery-events} and sent
     * to each policy domain's {@code rua} (https: POST; mailto: a mail submitted to intake).
     */
    interface TlsReports {
        /** Off: no events are read and no report is built or sent. */
        @WithDefault("true")
        boolean enabled();

        @WithDefault(Topics.DELIVERY_EVENTS)
        String eventsTopic();

        /** The consumer group that records the attempts (one group: each event is recorded by one instance). */
        @WithDefault("policy-tls-reports")
        String eventsGroup();

        /** {@code host:port} of the DNS server asked for {@code _smtp._tls.<domain>} TXT ({@code POSTWAY_DNS_SERVER}); empty: the system's. */
        Optional<String> dnsServer();

        @WithDefault("5s")
        Duration dnsTimeout();

        /** The report's {@code organization-name}. */
        @WithDefault("Postway")
        String organizationName();

        /** The submitter (RFC 8460 §5.3 {@code TLS-Report-Submitter}, and the report-id's domain): the relay's name. */
        @WithDefault("postway.localhost")
        String submitter();

        /** The report's {@code contact-info}. */
        @WithDefault("postmaster@postway.localhost")
        String contactInfo();

        /** The sender of mailed reports (envelope and From); a client key limited to sender domains must allow it. */
        @WithDefault("tlsrpt-noreply@postway.localhost")
        String mailFrom();

        /** The report's {@code sending-mta-ip}, when the relay's egress address is known. */
        Optional<String> sendingMtaIp();

        /** intake's base URL: mailto: reports go out through Postway itself ({@code POSTWAY_INTAKE_URL}). */
        @WithDefault("http://127.0.0.1:8080")
        String intakeUrl();

        /** The client key mailed reports are submitted with ({@code POSTWAY_TLSRPT_CLIENT_KEY}); without it mailto: sends fail. */
        Optional<String> intakeKey();

        /** PEM file of CAs trusted for https: reports besides the JDK's ({@code POSTWAY_TLS_TRUST}). */
        Optional<java.nio.file.Path> trust();

        /** How often the scheduler builds the reports of ended days and retries the sends that are due. */
        @WithDefault("1h")
        Duration checkEvery();

        /** How many ended days back the scheduler builds reports for (events recorded late, a service that was down). */
        @WithDefault("3")
        int lookbackDays();

        /** A failed send is tried again after this long. */
        @WithDefault("1h")
        Duration retryAfter();

        /** RFC 8460 §5.4: redelivery is attempted for up to 24 hours after the first attempt. */
        @WithDefault("24h")
        Duration giveUpAfter();

        /** One send's timeout (connect and answer). */
        @WithDefault("30s")
        Duration sendTimeout();
    }
}
