package io.postway.delivery.config;

import io.postway.contract.Topics;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Everything delivery-service reads from configuration ({@code postway.delivery.*}). */
@ConfigMapping(prefix = "postway.delivery")
public interface DeliveryConfig {

    /** Names this worker in event sources: {@code /postway/delivery-service/<instance>}. */
    Optional<String> instance();

    /** The name given in EHLO; the machine's host name when unset. */
    Optional<String> heloName();

    Dns dns();

    Dane dane();

    Tls tls();

    Timeout timeout();

    Pool pool();

    Probe probe();

    MtaSts mtaSts();
    HandledJobs handledJobs();

    /** The topics delivery writes through its own producer (messaging/KafkaOutputs); the done-markers' is {@link HandledJobs#topic}. */
    OutputTopics topics();

    /** {@code POSTWAY_SECRET_KEYS}: keys that open policy passwords. */
    Optional<String> secretKeys();

    /** How long shutdown waits for jobs in flight before handing them back (uncommitted). */
    @WithDefault("30s")
    Duration drainTimeout();

    /** Jobs in flight at once per worker (each waits on non-blocking SMTP work and Kafka acks). */
    @WithDefault("64")
    int maxInFlight();

    interface Dns {
        /** {@code host:port} of the DNS server; the system's when unset. */
        Optional<String> server();

        @WithDefault("5s")
        Duration timeout();
    }

    /** DANE for SMTP (RFC 7672): how TLSA look-ups are made DNSSEC-secure (package dane). */
    interface Dane {
        /**
         * {@code ad-bit}: trust the AD bit of {@code server}, a validating resolver on a trusted path
         * (unbound on the same host); {@code validate}: validate with dnsjava against {@code
         * trust-anchors} over {@code server} (which need not validate).
         */
        @WithDefault("ad-bit")
        DnssecTrust resolver();

        /** {@code host:port} of the DNS server for DANE look-ups; {@code postway.delivery.dns.server} (else the system's) when unset. */
        Optional<String> server();

        /** DS or DNSKEY records in master-file form: the trust anchors of {@code validate} (the root's in production). */
        Optional<String> trustAnchors();

        /** Bound of one look-up. */
        @WithDefault("5s")
        Duration timeout();

        /** How a DANE look-up's answer is known to be DNSSEC-secure (dane/SecureDns). */
        enum DnssecTrust { VALIDATE, AD_BIT }
    }

    interface Tls {
        /** PEM file of CA certificates trusted besides the JDK's. */
        Optional<String> trust();

        /** Lets policies that name TLSv1/TLSv1.1 use them (never offered to others). */
        @WithDefault("true")
        boolean allowLegacyProtocols();
    }

    interface Timeout {
        @WithDefault("30s")
        Duration connect();

        @WithDefault("60s")
        Duration greeting();

        @WithDefault("60s")
        Duration command();

        /** Wait for the reply after the message's final dot (RFC 5321 4.5.3.2.6 suggests 10 minutes). */
        @WithDefault("300s")
        Duration data();
    }

    interface Pool {
        /** Longest a job waits for a free session of its pool before it is deferred. */
        @WithDefault("120s")
        Duration waitTimeout();

        /** Idle sessions are closed (QUIT) after this. */
        @WithDefault("30s")
        Duration idleTimeout();
    }

    /** MTA-STS policy discovery (sts package). */
    interface MtaSts {
        /** Bound of one policy fetch: connect, TLS handshake and the whole answer. */
        @WithDefault("10s")
        Duration fetchTimeout();

        /** The policy hosts' HTTPS port: 443 (RFC 8461 3.3); tests on loopback use 443 too. */
        @WithDefault("443")
        int httpsPort();
    }

    /** Domain probes ({@code mail.probe-requests}): sessions that say what a delivery would meet, and send nothing. */
    interface Probe {
        /** Longest wait for one step of a probe session (connect, a reply, a handshake). */
        @WithDefault("10s")
        Duration stepTimeout();

        /** At most this many hosts are probed, in delivery order. */
        @WithDefault("5")
        int maxHosts();

        /**
         * The whole probe's bound (hosts and handshakes not reached by then are reported as not
         * probed); below policy-service's answer timeout (5m), so the answer always comes first.
         */
        @WithDefault("4m")
        Duration timeLimit();
    }

    /** Delivery's output topics (the contract's names; a test or a benchmark sets private ones). */
    interface OutputTopics {
        @WithDefault(Topics.DELIVERY_EVENTS)
        String deliveryEvents();

        @WithDefault(Topics.DEFERRED)
        String deferred();
    }

    /** The done-markers of handled {@code mail.outbound} jobs (messaging/HandledJobs). */
    interface HandledJobs {
        /** Co-partitioned with {@code mail.outbound}: same partition count, a job's marker on its partition number. */
        @WithDefault(Topics.OUTBOUND_HANDLED)
        String topic();

        /**
         * How far back a worker reads the markers of a partition it is given: longer than a job can
         * stay uncommitted (the channel's unprocessed-record-max-age, 30 min), shorter than the topic's retention.
         */
        @WithDefault("1h")
        Duration lookback();
    }
}
