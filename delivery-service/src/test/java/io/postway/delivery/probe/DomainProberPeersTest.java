package io.postway.delivery.probe;

import io.postway.contract.Topics;
import io.postway.contract.json.ContractJson;
import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.policy.PolicyRule;
import io.postway.contract.policy.TlsVersion;
import io.postway.contract.probe.HostProbe;
import io.postway.contract.probe.ProbeAdvice;
import io.postway.contract.probe.ProbeRequest;
import io.postway.contract.probe.ProbeResult;
import io.postway.contract.probe.ProbeStatus;
import io.postway.delivery.dns.Destinations;
import io.postway.delivery.dns.DnsResolver;
import io.postway.delivery.smtp.Peers;
import io.postway.delivery.tls.LegacyTlsProtocols;
import io.postway.delivery.tls.PeerCertificateCheck;
import io.postway.testkit.ContractSchemas;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.postway.delivery.smtp.Policies.policy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Probes against the real Postfix peers of deploy/peers, with delivery's DNS (the peers' dnsmasq),
 * trust store (the peers' CA) and TLS settings: the facts of each kind of server and the advice
 * the contract's {@link ProbeAdvice} draws from them. Every result is checked against the
 * {@code mail.probe-results} schema.
 */
class DomainProberPeersTest {

    static Vertx vertx;
    static DomainProber prober;

    static final PolicyRule DEFAULT = new PolicyRule("default", 1, new PolicyRule.Tls(io.postway.contract.policy.TlsMode.REQUIRED,
            io.postway.contract.policy.TlsVerify.NONE, TlsVersion.TLS_1_2, TlsVersion.TLS_1_3, false, false),
            new PolicyRule.Auth(io.postway.contract.policy.AuthMethod.NONE, null, null), new PolicyRule.Route(null, 25),
            new PolicyRule.Limits(20, 100), new PolicyRule.Retry(List.of(Duration.ofMinutes(15)), Duration.ofDays(2)), Instant.EPOCH, "system");

    @BeforeAll
    static void start() {
        LegacyTlsProtocols.allowWherePolicyAsks();
        vertx = Vertx.vertx();
        prober = new DomainProber(new Destinations(new DnsResolver(vertx, Peers.dns(), Duration.ofSeconds(3))),
                PeerCertificateCheck.load(Peers.ca()), "probe.postway.test", Duration.ofSeconds(5), 5, Duration.ofMinutes(1));
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

    static HostProbe only(ProbeResult r) {
        assertEquals(ProbeStatus.DONE, r.status(), r.failure());
        assertEquals(1, r.hosts().size(), r.hosts().toString());
        return r.hosts().get(0);
    }

    static PolicyRule portRule(String domain, int port) {
        return new PolicyRule(domain, 1, null, null, new PolicyRule.Route(null, port), null, null, null, null);
    }

    @Test
    void theSeedsTls10OnlyServerAcceptsTlsv1AloneAndGetsRequiredWithMinVersionTlsv1ForThisDomainOnly() {
        EffectivePolicy now = policy().port(Peers.port("TLS10")).build();
        HostProbe h = only(probe("tls10.peer.test", now));
        assertEquals("old.peer.test", h.host());
        assertEquals("MX", h.via());
        assertEquals("127.0.0.1", h.ip());
        assertTrue(h.greeted());
        assertTrue(h.greeting().startsWith("220 "), h.greeting());
        assertTrue(h.capabilities().starttls());
        assertEquals(List.of(TlsVersion.TLS_1_0), h.acceptedVersions(), h.handshakes().toString());
        HostProbe.Handshake tls1 = h.handshakes().get(0);
        assertEquals("TLSv1", tls1.protocol());
        assertTrue(tls1.chainTrusted(), tls1.chainProblem());
        assertTrue(tls1.nameMatches(), "old.peer.test is named by *.peer.test");
        assertTrue(tls1.chain().get(0).dnsNames().contains("mx.peer.test"), tls1.chain().toString());
        for (HostProbe.Handshake refused : h.handshakes().subList(1, 4)) {
            assertFalse(refused.accepted());
            assertTrue(refused.failure() != null && !refused.failure().isBlank(), refused.toString());
        }
        ProbeAdvice.Verdict v = ProbeAdvice.verdict(now, h);
        assertFalse(v.delivers());
        assertTrue(v.sentence().contains("accepts only TLSv1, and the policy allows TLSv1.2-TLSv1.3"), v.sentence());
        var advice = ProbeAdvice.recommend("tls10.peer.test", portRule("tls10.peer.test", Peers.port("TLS10")), DEFAULT, now, List.of(h));
        assertTrue(advice.summary().startsWith("REQUIRED + HOSTNAME with minVersion TLSv1 for this domain only"), advice.summary());
        assertEquals("{\"tls\":{\"verify\":\"HOSTNAME\",\"minVersion\":\"TLSv1\"},\"route\":{\"port\":" + Peers.port("TLS10") + "}}",
                advice.body().toString());
    }

    @Test
    void aModernServerAcceptsTls12And13WithAValidCertificateAndGetsRequiredHostname() {
        EffectivePolicy now = policy().port(Peers.port("STARTTLS")).build();
        HostProbe h = only(probe("peer.test", now));
        assertEquals("mx.peer.test", h.host());
        assertEquals(List.of(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3), h.acceptedVersions());
        HostProbe.Handshake tls13 = h.handshakes().get(3);
        assertEquals("TLSv1.3", tls13.protocol());
        assertTrue(tls13.cipher().startsWith("TLS_"), tls13.cipher());
        assertTrue(tls13.chainTrusted() && tls13.nameMatches());
        assertTrue(tls13.chain().get(0).notAfter().isAfter(Instant.now()));
        assertTrue(h.capabilities().eightBitMime());
        assertTrue(h.capabilities().size() > 0);
        assertTrue(ProbeAdvice.verdict(now, h).sentence().contains("delivered over TLSv1.3"));
        var advice = ProbeAdvice.recommend("peer.test", null, DEFAULT, now, List.of(h));
        assertTrue(advice.summary().startsWith("REQUIRED + HOSTNAME with minVersion TLSv1.3: mx.peer.test accepts TLSv1.3"), advice.summary());
    }

    @Test
    void aServerWithoutStarttlsGetsNoHandshakesAndOpportunistic() {
        EffectivePolicy now = policy().port(Peers.port("PLAIN")).build();
        HostProbe h = only(probe("peer.test", now));
        assertTrue(h.greeted());
        assertFalse(h.capabilities().starttls());
        assertTrue(h.handshakes().isEmpty());
        assertFalse(ProbeAdvice.verdict(now, h).delivers());
        var advice = ProbeAdvice.recommend("peer.test", null, DEFAULT, now, List.of(h));
        assertEquals("{\"tls\":{\"mode\":\"OPPORTUNISTIC\"}}", advice.body().toString());
    }

    @Test
    void aWrongNameCertificateChainsToTheCaButDoesNotNameTheHost() {
        EffectivePolicy now = policy().verify(io.postway.contract.policy.TlsVerify.HOSTNAME).port(Peers.port("WRONG_NAME")).build();
        HostProbe h = only(probe("peer.test", now));
        HostProbe.Handshake best = h.handshakeWithin(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3).orElseThrow();
        assertTrue(best.chainTrusted(), best.chainProblem());
        assertFalse(best.nameMatches());
        assertTrue(best.chain().get(0).dnsNames().contains("wrong.invalid"), best.chain().toString());
        ProbeAdvice.Verdict v = ProbeAdvice.verdict(now, h);
        assertFalse(v.delivers());
        assertTrue(v.sentence().contains("does not name mx.peer.test (it names wrong.invalid)"), v.sentence());
        assertTrue(ProbeAdvice.recommend("peer.test", null, DEFAULT, now, List.of(h)).summary().startsWith("REQUIRED + CA"));
    }

    @Test
    void authMechanismsAreReadBeforeAndAfterStarttls() {
        HostProbe open = only(probe("peer.test", policy().port(Peers.port("AUTH")).build()));
        assertTrue(open.capabilities().auth().containsAll(List.of("PLAIN", "LOGIN")), open.capabilities().toString());
        HostProbe tlsOnly = only(probe("peer.test", policy().port(Peers.port("AUTH_TLS_ONLY")).build()));
        assertEquals(List.of(), tlsOnly.capabilities().auth());
        assertTrue(tlsOnly.capabilities().authAfterTls().contains("PLAIN"), tlsOnly.capabilities().toString());
    }

    @Test
    void implicitTlsIsProbedFromTheFirstByte() {
        HostProbe h = only(probe("peer.test", policy().implicitTls().port(Peers.port("IMPLICIT_TLS")).build()));
        assertTrue(h.implicit());
        assertTrue(h.greeted(), h.error());
        assertTrue(h.acceptedVersions().contains(TlsVersion.TLS_1_3), h.handshakes().toString());
        assertFalse(h.acceptedVersions().contains(TlsVersion.TLS_1_1));
    }

    @Test
    void everyMxHostIsProbedInOrderAndADeadOneSaysWhy() {
        ProbeResult r = probe("failover.peer.test", policy().port(Peers.port("STARTTLS")).build());
        assertEquals(List.of("dead.peer.test", "mx.peer.test"), r.hosts().stream().map(HostProbe::host).toList());
        assertFalse(r.hosts().get(0).greeted());
        assertTrue(r.hosts().get(0).error().startsWith("CONNECT: "), r.hosts().get(0).error());
        assertTrue(r.hosts().get(1).greeted());
        assertEquals(ProbeResult.Check.NOT_CHECKED, r.mtaSts().status());
        assertEquals(ProbeResult.Check.NOT_CHECKED, r.dane().status());
    }

    @Test
    void aNullMxOrAMissingDomainFailsTheProbeWithTheReason() {
        ProbeResult nullMx = probe("nullmx.peer.test", policy().build());
        assertEquals(ProbeStatus.FAILED, nullMx.status());
        assertTrue(nullMx.failure().contains("null MX"), nullMx.failure());
        ProbeResult missing = probe("missing.peer.test", policy().build());
        assertEquals(ProbeStatus.FAILED, missing.status());
        assertTrue(missing.failure().contains("does not exist"), missing.failure());
        assertNull(ProbeAdvice.recommend("missing.peer.test", null, DEFAULT, policy().build(), missing.hosts()).body());
    }

    @Test
    void hostsBeyondTheTimeLimitAreReportedAsNotProbed() {
        DomainProber hurried = new DomainProber(new Destinations(new DnsResolver(vertx, Peers.dns(), Duration.ofSeconds(3))),
                PeerCertificateCheck.load(Peers.ca()), "probe.postway.test", Duration.ofSeconds(5), 5, Duration.ZERO);
        ProbeResult r = hurried.probe(new ProbeRequest(UUID.randomUUID().toString(), "peer.test", Instant.now(),
                policy().port(Peers.port("STARTTLS")).build()));
        assertEquals(ProbeStatus.DONE, r.status());
        assertFalse(r.hosts().get(0).greeted());
        assertTrue(r.hosts().get(0).error().startsWith("NOT_PROBED: the probe's time limit of 0 s passed"), r.hosts().get(0).error());
    }
}
