package io.postway.delivery.dane;

import io.postway.contract.Topics;
import io.postway.contract.json.ContractJson;
import io.postway.contract.policy.AuthMethod;
import io.postway.contract.policy.DaneMode;
import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.policy.PolicyRule;
import io.postway.contract.policy.TlsMode;
import io.postway.contract.policy.TlsVerify;
import io.postway.contract.policy.TlsVersion;
import io.postway.contract.probe.ProbeAdvice;
import io.postway.contract.probe.ProbeRequest;
import io.postway.contract.probe.ProbeResult;
import io.postway.delivery.dns.Destinations;
import io.postway.delivery.dns.DnsResolver;
import io.postway.delivery.probe.DomainProber;
import io.postway.delivery.smtp.Peers;
import io.postway.testkit.ContractSchemas;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.postway.delivery.smtp.Policies.policy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The probe's {@code dane} answer against the DANE peers (dnsjava validating from the test zones' trust anchors). */
class DaneProbePeersTest {

    static Vertx vertx;
    static DomainProber prober;

    static final PolicyRule DEFAULT = new PolicyRule("default", 1, new PolicyRule.Tls(TlsMode.REQUIRED, TlsVerify.NONE,
            TlsVersion.TLS_1_2, TlsVersion.TLS_1_3, false, false, DaneMode.OPPORTUNISTIC), new PolicyRule.Auth(AuthMethod.NONE, null, null),
            new PolicyRule.Route(null, 25), new PolicyRule.Limits(20, 100), new PolicyRule.Retry(List.of(Duration.ofMinutes(15)),
            Duration.ofDays(2)), Instant.EPOCH, "system");

    @BeforeAll
    static void start() {
        var env = Peers.daneEnv();
        vertx = Vertx.vertx();
        String auth = env.get("PEERS_DANE_AUTHORITATIVE");
        prober = new DomainProber(new Destinations(new DnsResolver(vertx, auth, Duration.ofSeconds(3))), io.postway.delivery.tls.PeerCertificateCheck.load(null),
                "probe.postway.test", Duration.ofSeconds(5), 5, Duration.ofMinutes(1),
                new DaneLookup(vertx, SecureDns.create(io.postway.delivery.config.DeliveryConfig.Dane.DnssecTrust.VALIDATE, auth, Path.of(env.get("PEERS_DANE_TRUST_ANCHORS")), Duration.ofSeconds(3))),
                null);
    }

    @AfterAll
    static void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    static ProbeResult probe(String domain, EffectivePolicy policy) {
        ProbeResult r = prober.probe(new ProbeRequest(UUID.randomUUID().toString(), domain, Instant.now(), policy));
        ContractSchemas.assertValid(Topics.PROBE_RESULTS, ContractJson.write(r));
        return r;
    }

    @Test
    void aMatchingDaneEeHostIsReportedAndTheAdviceMentionsDane() {
        EffectivePolicy p = policy().port(10031).build();
        ProbeResult r = probe("ee.dane.test", p);
        assertEquals("MATCH", r.dane().status(), r.dane().detail());
        assertTrue(r.dane().detail().startsWith("mx-ee.dane.test: MATCH (_10031._tcp.mx-ee.dane.test 3 1 1 "), r.dane().detail());
        var advice = ProbeAdvice.recommend("ee.dane.test", null, DEFAULT, p, r.hosts(), null, r.dane());
        assertTrue(advice.summary().contains("DANE validates"), advice.summary());
        assertFalse(ProbeAdvice.recommend("ee.dane.test", null, DEFAULT, p, r.hosts()).summary().contains("DANE"),
                "without the DANE answer the advice says nothing of it");
    }

    @Test
    void aMismatchingHostAndABogusOneAreReportedWithTheirFailures() {
        ProbeResult mismatch = probe("mismatch.dane.test", policy().port(10025).build());
        assertEquals("MISMATCH", mismatch.dane().status(), mismatch.dane().detail());
        assertTrue(mismatch.dane().detail().endsWith(", tlsa-invalid"), mismatch.dane().detail());
        ProbeResult bogus = probe("bogus.dane.test", policy().port(10025).build());
        assertEquals("BOGUS", bogus.dane().status(), bogus.dane().detail());
        assertTrue(bogus.dane().detail().contains("dnssec-invalid"), bogus.dane().detail());
        ProbeResult insecure = probe("insecure.dane.test", policy().port(10025).build());
        assertEquals("INSECURE", insecure.dane().status(), insecure.dane().detail());
        ProbeResult off = probe("ee.dane.test", policy().port(10031).dane(DaneMode.OFF).build());
        assertEquals(ProbeResult.Check.NOT_CHECKED, off.dane().status());
    }
}
