package io.postway.delivery.sts;

import io.postway.delivery.dns.DnsResolver;
import io.postway.delivery.tls.PeerCertificateCheck;
import io.vertx.core.Vertx;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import javax.net.ssl.X509TrustManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The policy cache in delivery's PostgreSQL (postway_delivery_test): a policy fetched by one worker
 * is what a restarted worker (empty memory, no way to fetch) applies; max_age is honoured; a new
 * TXT id refetches; a failed refetch keeps the unexpired cached policy; PostgreSQL down stops nothing.
 * The domain is cache.sts.test (id c1, enforce, max_age 600) of the MTA-STS peers.
 */
class PolicyCacheTest {

    static final String DOMAIN = "cache.sts.test";
    /** A port nothing listens on: a worker whose fetches all fail. */
    static final int NO_HTTPS = 9;

    static Vertx vertx;
    static DnsResolver dns;
    static X509TrustManager webPki;
    static PGSimpleDataSource db;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        dns = new DnsResolver(vertx, StsPeers.dns(), Duration.ofSeconds(3));
        webPki = PeerCertificateCheck.load(StsPeers.trust()).webPkiTrustManager();
        db = new PGSimpleDataSource();
        db.setUrl("jdbc:postgresql://" + env("POSTWAY_PG_HOST", "127.0.0.1") + ":" + env("POSTWAY_PG_PORT", "55432") + "/postway_delivery_test");
        db.setUser(env("POSTWAY_PG_USER", "postgres"));
        db.setPassword(env("POSTWAY_PG_PASSWORD", ""));
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static Runnable migrate() {
        return () -> Flyway.configure().dataSource(db).load().migrate();
    }

    @BeforeEach
    void noRow() throws Exception {
        migrate().run();
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("DELETE FROM mta_sts_policy WHERE domain = ?")) {
            s.setString(1, DOMAIN);
            s.executeUpdate();
        }
    }

    private static MtaStsPolicies worker(int httpsPort, Clock clock) {
        return new MtaStsPolicies(vertx, dns, webPki, Duration.ofSeconds(3), httpsPort, new JdbcPolicyStore(vertx, db, migrate()), clock);
    }

    private static StsLookup lookup(MtaStsPolicies p) throws Exception {
        return p.lookup(DOMAIN).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static Clock at(Instant t) {
        return Clock.fixed(t, ZoneOffset.UTC);
    }

    private static String[] row() throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT policy_id, policy, fetched_at, expires_at FROM mta_sts_policy WHERE domain = ?")) {
            s.setString(1, DOMAIN);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? new String[]{rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant().toString(),
                        rs.getTimestamp(4).toInstant().toString()} : null;
            }
        }
    }

    private static void store(String id, String policy, Instant fetched, Instant expires) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO mta_sts_policy (domain, policy_id, policy, fetched_at, expires_at) VALUES (?, ?, ?, ?, ?)")) {
            s.setString(1, DOMAIN);
            s.setString(2, id);
            s.setString(3, policy);
            s.setTimestamp(4, Timestamp.from(fetched));
            s.setTimestamp(5, Timestamp.from(expires));
            s.executeUpdate();
        }
    }

    @Test
    void aFetchedPolicyIsStoredAndARestartedWorkerThatCannotFetchAppliesIt() throws Exception {
        Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
        StsLookup first = lookup(worker(443, at(t0)));
        assertEquals("ENFORCE", first.status().name());
        assertTrue(first.reason().contains("fetched"), first.reason());
        // the store is written after the answer (the job never waits on PostgreSQL)
        await().atMost(Duration.ofSeconds(10)).until(() -> row() != null);
        String[] stored = row();
        assertEquals("c1", stored[0]);
        assertTrue(stored[1].contains("mx: *.peer.test"), stored[1]);
        assertEquals(t0.toString(), stored[2]);
        assertEquals(t0.plusSeconds(600).toString(), stored[3], "expires_at = fetched_at + max_age");

        // a new process: empty memory, every fetch fails; the row is what it applies
        StsLookup restarted = lookup(worker(NO_HTTPS, at(t0.plusSeconds(599))));
        assertEquals("ENFORCE", restarted.status().name());
        assertEquals("c1", restarted.policyId());
        assertTrue(restarted.reason().contains("cached until " + t0.plusSeconds(600)), restarted.reason());
        assertTrue(restarted.policy().matches("mx.peer.test"));
    }

    @Test
    void maxAgeIsHonouredAnExpiredPolicyIsNotApplied() throws Exception {
        Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
        lookup(worker(443, at(t0)));
        await().atMost(Duration.ofSeconds(10)).until(() -> row() != null);
        StsLookup expired = lookup(worker(NO_HTTPS, at(t0.plusSeconds(600))));
        assertEquals("FETCH_ERROR", expired.status().name(), "expired at fetched_at + max_age, and the refetch failed");
        assertEquals("sts-policy-fetch-error", expired.failure());
        assertNull(expired.policy());
        StsLookup refetched = lookup(worker(443, at(t0.plusSeconds(601))));
        assertEquals("ENFORCE", refetched.status().name());
        assertTrue(refetched.reason().contains("fetched"), refetched.reason());
        await().atMost(Duration.ofSeconds(10)).until(() -> t0.plusSeconds(601).toString().equals(row()[2]));
    }

    @Test
    void aNewTxtIdTriggersARefetch() throws Exception {
        Instant now = Instant.now();
        store("old1", "version: STSv1\nmode: testing\nmx: *.peer.test\nmax_age: 86400\n", now.minusSeconds(60), now.plusSeconds(86_000));
        StsLookup l = lookup(worker(443, Clock.systemUTC()));
        assertEquals("ENFORCE", l.status().name(), "the TXT id c1 differs from the cached old1: refetched");
        assertEquals("c1", l.policyId());
        await().atMost(Duration.ofSeconds(10)).until(() -> "c1".equals(row()[0]));
    }

    @Test
    void aFailedRefetchKeepsTheUnexpiredCachedPolicy() throws Exception {
        Instant now = Instant.now();
        store("old1", "version: STSv1\nmode: testing\nmx: *.peer.test\nmax_age: 86400\n", now.minusSeconds(60), now.plusSeconds(86_000));
        StsLookup l = lookup(worker(NO_HTTPS, Clock.systemUTC()));
        assertEquals("TESTING", l.status().name(), "RFC 8461 5.1: the cached policy stays in force");
        assertEquals("old1", l.policyId());
        assertTrue(l.reason().contains("refetching policy id c1 failed"), l.reason());
        assertEquals("old1", row()[0], "a failed refetch does not touch the row");
    }

    @Test
    void postgresqlDownStopsNothingThePolicyIsFetchedAndKeptInMemory() throws Exception {
        PGSimpleDataSource down = new PGSimpleDataSource();
        down.setUrl("jdbc:postgresql://127.0.0.1:9/postway_delivery_test?connectTimeout=2");
        MtaStsPolicies p = new MtaStsPolicies(vertx, dns, webPki, Duration.ofSeconds(3), 443,
                new JdbcPolicyStore(vertx, down, () -> Flyway.configure().dataSource(down).load().migrate()), Clock.systemUTC());
        StsLookup first = lookup(p);
        assertEquals("ENFORCE", first.status().name());
        StsLookup second = lookup(p);
        assertEquals("ENFORCE", second.status().name());
        assertTrue(second.reason().contains("cached until"), "served from memory: " + second.reason());
    }
}
