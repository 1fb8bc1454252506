package io.postway.delivery.sts;

import io.postway.contract.Topics;
import io.postway.contract.json.ContractJson;
import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.probe.ProbeAdvice;
import io.postway.contract.probe.ProbeRequest;
import io.postway.contract.probe.ProbeResult;
import io.postway.delivery.dns.Destinations;
import io.postway.delivery.dane.DaneLookup;
import io.postway.delivery.dns.DnsResolver;
import io.postway.delivery.probe.DomainProber;
import io.postway.delivery.smtp.Peers;
import io.postway.delivery.smtp.Policies;
import io.postway.delivery.tls.PeerCertificateCheck;
import io.postway.testkit.ContractSchemas;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A domain probe reports the domain's MTA-STS policy and whether each MX host matches it; the advice mentions enforce. */
class MtaStsProbeTest {

    static Vertx vertx;
    static DomainProber prober;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        DnsResolver dns = new DnsResolver(vertx, StsPeers.dns(), Duration.ofSeconds(3));
        PeerCertificateCheck check = PeerCertificateCheck.load(StsPeers.trust());
        prober = new DomainProber(new Destinations(dns), check, "probe.postway.test", Duration.ofSeconds(5), 5, Duration.ofMinutes(1), DaneLookup.NONE,
                new MtaStsPolicies(vertx, dns, check.webPkiTrustManager(), Duration.ofSeconds(5), 443, PolicyStore.NONE, Clock.systemUTC()));
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
    void anEnforcePolicyIsReportedWithEachMxHostsMatchAndTheAdviceSaysSo() {
        EffectivePolicy policy = Policies.policy().port(Peers.port("STARTTLS")).build();
        ProbeResult r = probe("enforce.sts.test", policy);
        assertEquals("ENFORCE", r.mtaSts().status());
        assertTrue(r.mtaSts().detail().contains("policy id e1, mode enforce, mx mx.peer.test, *.example.test")
                && r.mtaSts().detail().contains("mx.peer.test matches"), r.mtaSts().detail());
        var advice = ProbeAdvice.recommend("enforce.sts.test", null, defaults(), policy, r.hosts(), r.mtaSts(), null);
        assertTrue(advice.summary().contains("MTA-STS policy in mode enforce"), advice.summary());
    }

    @Test
    void anMxOutsideThePatternsIsSaidNotToMatch() {
        ProbeResult r = probe("outside.sts.test", Policies.policy().port(Peers.port("STARTTLS")).build());
        assertEquals("ENFORCE", r.mtaSts().status());
        assertTrue(r.mtaSts().detail().contains("mx.peer.test does not match"), r.mtaSts().detail());
    }

    @Test
    void noRecordIsNotPublished() {
        ProbeResult r = probe("unpublished.sts.test", Policies.policy().port(Peers.port("STARTTLS")).build());
        assertEquals("NOT_PUBLISHED", r.mtaSts().status());
    }

    private static io.postway.contract.policy.PolicyRule defaults() {
        EffectivePolicy d = Policies.policy().build();
        return new io.postway.contract.policy.PolicyRule("default", 1, d.tls(), d.auth(), d.route(), d.limits(), d.retry(), Instant.EPOCH, "system");
    }
}
