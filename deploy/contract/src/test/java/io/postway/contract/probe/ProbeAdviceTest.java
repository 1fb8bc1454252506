package io.postway.contract.probe;

import io.postway.contract.json.ContractJson;
import io.postway.contract.policy.AuthMethod;
import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.policy.PolicyRule;
import io.postway.contract.policy.TlsMode;
import io.postway.contract.policy.TlsVerify;
import io.postway.contract.policy.TlsVersion;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The probe's per-host sentences and its recommendation, over facts shaped like the test peers'. */
class ProbeAdviceTest {

    static final PolicyRule DEFAULT = new PolicyRule("default", 1,
            new PolicyRule.Tls(TlsMode.REQUIRED, TlsVerify.NONE, TlsVersion.TLS_1_2, TlsVersion.TLS_1_3, false, false),
            new PolicyRule.Auth(AuthMethod.NONE, null, null), new PolicyRule.Route(null, 25), new PolicyRule.Limits(20, 100),
            new PolicyRule.Retry(List.of(Duration.ofMinutes(15)), Duration.ofDays(2)), Instant.EPOCH, "system");

    static EffectivePolicy policy(PolicyRule.Tls tls) {
        return new EffectivePolicy("default", 1, tls, DEFAULT.auth(), DEFAULT.route(), DEFAULT.limits(), DEFAULT.retry());
    }

    static final EffectivePolicy UNDER_DEFAULT = policy(DEFAULT.tls());

    /** A host that greets, offers STARTTLS (or not) and accepts the given versions with a certificate of that quality. */
    static HostProbe host(String name, boolean starttls, boolean trusted, boolean nameOk, TlsVersion... accepted) {
        List<HostProbe.Handshake> hs = new ArrayList<>();
        if (starttls) {
            for (TlsVersion v : TlsVersion.values()) {
                boolean ok = List.of(accepted).contains(v);
                hs.add(ok ? new HostProbe.Handshake(v, true, null, v.wireName(), "TLS_AES_128_GCM_SHA256",
                        List.of(new HostProbe.Certificate("CN=mx.peer.test", "CN=Postway test CA", List.of("mx.peer.test"), List.of(),
                                Instant.EPOCH, Instant.parse("2036-01-01T00:00:00Z"))),
                        trusted, trusted ? null : "issuer not trusted", nameOk)
                        : new HostProbe.Handshake(v, false, "Received fatal alert: protocol_version", null, null, null, null, null, null));
            }
        }
        var caps = new HostProbe.Capabilities(starttls, List.of(), List.of("PLAIN", "LOGIN"), 41943040L, true, true, false, List.of("250-x"));
        return new HostProbe(name, "127.0.0.1", 25, "MX", false, true, null, "220 " + name + " ESMTP", caps, hs);
    }

    static HostProbe dead(String name) {
        return new HostProbe(name, "127.0.0.2", 25, "MX", false, false, "CONNECT: Connection refused", null, null, List.of());
    }

    @Test
    void theSeedsTls10OnlyServerGetsRequiredWithMinVersionTlsv1ForThisDomainOnly() {
        HostProbe old = host("old.peer.test", true, true, true, TlsVersion.TLS_1_0);
        ProbeAdvice.Verdict now = ProbeAdvice.verdict(UNDER_DEFAULT, old);
        assertFalse(now.delivers());
        assertTrue(now.sentence().contains("accepts only TLSv1, and the policy allows TLSv1.2-TLSv1.3"), now.sentence());
        PolicyRule own = new PolicyRule("tls10.peer.test", 2, null, null, new PolicyRule.Route(null, 10026), null, null, null, null);
        var r = ProbeAdvice.recommend("tls10.peer.test", own, DEFAULT, UNDER_DEFAULT, List.of(old));
        assertTrue(r.summary().startsWith("REQUIRED + HOSTNAME with minVersion TLSv1 for this domain only"), r.summary());
        assertEquals("{\"tls\":{\"verify\":\"HOSTNAME\",\"minVersion\":\"TLSv1\"},\"route\":{\"port\":10026}}", r.body().toString());
        assertEquals("PUT", r.method());
        assertEquals("/v1/policies/tls10.peer.test", r.path());
        assertFalse(r.alreadyInForce());
        // the recommendation, applied, delivers
        assertTrue(ProbeAdvice.delivers(policy(new PolicyRule.Tls(TlsMode.REQUIRED, TlsVerify.HOSTNAME, TlsVersion.TLS_1_0,
                TlsVersion.TLS_1_3, false, false)), List.of(old)));
    }

    @Test
    void aValidatingDaneAnswerIsMentionedAndTheRulesOwnTlsDaneIsKeptInTheBody() {
        HostProbe old = host("old.peer.test", true, true, true, TlsVersion.TLS_1_0);
        PolicyRule own = new PolicyRule("tls10.peer.test", 2, new PolicyRule.Tls(null, null, null, null, null, null,
                io.postway.contract.policy.DaneMode.REQUIRED), null, null, null, null, null, null);
        var match = new ProbeResult.Check("MATCH", "old.peer.test: MATCH (_25._tcp.old.peer.test 3 1 1 …)");
        var r = ProbeAdvice.recommend("tls10.peer.test", own, DEFAULT, UNDER_DEFAULT, List.of(old), null, match);
        assertTrue(r.summary().contains("DANE validates"), r.summary());
        assertEquals("REQUIRED", r.body().at("/tls/dane").asText(), r.body().toString());
        var noMatch = ProbeAdvice.recommend("tls10.peer.test", own, DEFAULT, UNDER_DEFAULT, List.of(old), null,
                new ProbeResult.Check("NO_RECORDS", "old.peer.test: NO_RECORDS"));
        assertFalse(noMatch.summary().contains("DANE"), noMatch.summary());
    }

    @Test
    void aModernServerWithAGoodCertificateGetsRequiredHostnameAndNoLowerVersion() {
        HostProbe mx = host("mx.peer.test", true, true, true, TlsVersion.TLS_1_2, TlsVersion.TLS_1_3);
        assertTrue(ProbeAdvice.verdict(UNDER_DEFAULT, mx).sentence().contains("delivered over TLSv1.3"));
        var r = ProbeAdvice.recommend("peer.test", null, DEFAULT, UNDER_DEFAULT, List.of(mx));
        assertTrue(r.summary().startsWith("REQUIRED + HOSTNAME with minVersion TLSv1.3: mx.peer.test accepts TLSv1.3 and has a valid certificate"),
                r.summary());
        assertEquals("{\"tls\":{\"verify\":\"HOSTNAME\",\"minVersion\":\"TLSv1.3\"}}", r.body().toString());
    }

    @Test
    void noStarttlsMeansOpportunisticAndRequiredDefers() {
        HostProbe plain = host("mx.peer.test", false, false, false);
        assertFalse(ProbeAdvice.verdict(UNDER_DEFAULT, plain).delivers());
        var r = ProbeAdvice.recommend("peer.test", null, DEFAULT, UNDER_DEFAULT, List.of(plain));
        assertTrue(r.summary().startsWith("OPPORTUNISTIC: mx.peer.test offers no STARTTLS"), r.summary());
        assertEquals("{\"tls\":{\"mode\":\"OPPORTUNISTIC\"}}", r.body().toString());
        assertTrue(ProbeAdvice.verdict(policy(new PolicyRule.Tls(TlsMode.OPPORTUNISTIC, TlsVerify.NONE, TlsVersion.TLS_1_2,
                TlsVersion.TLS_1_3, false, false)), plain).delivers());
    }

    @Test
    void aWrongNameCertificateGetsRequiredCaAndHostnameDefers() {
        HostProbe wrong = host("mx.peer.test", true, true, false, TlsVersion.TLS_1_2, TlsVersion.TLS_1_3);
        var hostname = policy(new PolicyRule.Tls(TlsMode.REQUIRED, TlsVerify.HOSTNAME, TlsVersion.TLS_1_2, TlsVersion.TLS_1_3, false, false));
        ProbeAdvice.Verdict v = ProbeAdvice.verdict(hostname, wrong);
        assertFalse(v.delivers());
        assertTrue(v.sentence().contains("does not name mx.peer.test"), v.sentence());
        var r = ProbeAdvice.recommend("peer.test", null, DEFAULT, hostname, List.of(wrong));
        assertTrue(r.summary().startsWith("REQUIRED + CA with minVersion TLSv1.3"), r.summary());
        assertTrue(r.summary().contains("does not name it"), r.summary());
    }

    @Test
    void anUntrustedCertificateKeepsVerifyNoneAndOneDeadHostConstrainsNothing() {
        HostProbe selfSigned = host("mx.peer.test", true, false, true, TlsVersion.TLS_1_3);
        var r = ProbeAdvice.recommend("peer.test", null, DEFAULT, UNDER_DEFAULT, List.of(dead("dead.peer.test"), selfSigned));
        assertTrue(r.summary().startsWith("REQUIRED with minVersion TLSv1.3"), r.summary());
        assertEquals("{\"tls\":{\"minVersion\":\"TLSv1.3\"}}", r.body().toString());
        List<ProbeAdvice.Verdict> v = ProbeAdvice.underPolicy(UNDER_DEFAULT, List.of(dead("dead.peer.test"), selfSigned));
        assertFalse(v.get(0).delivers());
        assertTrue(v.get(0).sentence().contains("did not answer"), v.get(0).sentence());
        assertTrue(v.get(1).delivers());
        assertTrue(ProbeAdvice.delivers(UNDER_DEFAULT, List.of(dead("dead.peer.test"), selfSigned)));
    }

    @Test
    void severalHostsGetTheMinimumTheWeakestCanMeetAndAHandshakeThatAlwaysFailsFallsBack() {
        var r = ProbeAdvice.recommend("peer.test", null, DEFAULT, UNDER_DEFAULT, List.of(
                host("a.peer.test", true, true, true, TlsVersion.TLS_1_2, TlsVersion.TLS_1_3),
                host("b.peer.test", true, true, true, TlsVersion.TLS_1_0, TlsVersion.TLS_1_1)));
        assertEquals("{\"tls\":{\"verify\":\"HOSTNAME\",\"minVersion\":\"TLSv1.1\"}}", r.body().toString());
        var broken = ProbeAdvice.recommend("peer.test", null, DEFAULT, UNDER_DEFAULT, List.of(host("a.peer.test", true, true, true)));
        assertTrue(broken.summary().startsWith("OPPORTUNISTIC with fallbackToPlaintext"), broken.summary());
        assertEquals("{\"tls\":{\"mode\":\"OPPORTUNISTIC\",\"fallbackToPlaintext\":true}}", broken.body().toString());
    }

    @Test
    void aLoginNeedsItsMechanismAfterStarttlsAndNoHostMeansNoRecommendation() {
        HostProbe auth = host("mx.peer.test", true, true, true, TlsVersion.TLS_1_3);
        var login = new EffectivePolicy("peer.test", 1, DEFAULT.tls(), new PolicyRule.Auth(AuthMethod.PLAIN, "u", "v1:x:y"),
                DEFAULT.route(), DEFAULT.limits(), DEFAULT.retry());
        assertTrue(ProbeAdvice.verdict(login, auth).delivers());
        var cram = new EffectivePolicy("peer.test", 1, DEFAULT.tls(), new PolicyRule.Auth(AuthMethod.LOGIN, "u", "v1:x:y"),
                DEFAULT.route(), DEFAULT.limits(), DEFAULT.retry());
        HostProbe plainOnly = new HostProbe(auth.host(), auth.ip(), auth.port(), auth.via(), false, true, null, auth.greeting(),
                new HostProbe.Capabilities(true, List.of(), List.of("PLAIN"), null, false, false, false, List.of()), auth.handshakes());
        assertFalse(ProbeAdvice.verdict(cram, plainOnly).delivers());
        var none = ProbeAdvice.recommend("peer.test", null, DEFAULT, UNDER_DEFAULT, List.of(dead("dead.peer.test")));
        assertNull(none.body());
    }

    @Test
    void aResultRoundTripsThroughTheContractsJson() {
        ProbeResult r = new ProbeResult("p1", "peer.test", ProbeStatus.DONE, Instant.EPOCH, Instant.EPOCH, null,
                List.of(host("mx.peer.test", true, true, true, TlsVersion.TLS_1_3)), null, null);
        ProbeResult back = ContractJson.read(ContractJson.write(r), ProbeResult.class);
        assertEquals(r, back);
        assertEquals(ProbeResult.Check.NOT_CHECKED, back.mtaSts().status());
        assertFalse(ContractJson.write(r).contains("offersTls"));
    }
}
