package io.postway.delivery.sts;

import io.postway.contract.event.DeliveryEvent;
import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.policy.MtaStsMode;
import io.postway.contract.policy.PolicyRule;
import io.postway.contract.policy.TlsMode;
import io.postway.contract.policy.TlsVerify;
import io.postway.delivery.domain.Outcome;
import io.postway.delivery.domain.RecipientResult;
import io.postway.delivery.domain.Stage;
import io.postway.delivery.smtp.DeliveryHarness;
import io.postway.delivery.smtp.Peers;
import io.postway.delivery.smtp.Policies;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MTA-STS end to end against real peers on loopback: the policies come from nginx over HTTPS (a
 * test CA, a rogue CA, a wrong-name certificate), the records from dnsmasq, the mail goes to the
 * shared Postfix peers (mx.peer.test; route.port picks the listener). Each case asserts the
 * recipient's outcome and every {@code data.mtaSts} field the event carries.
 */
class MtaStsPeersTest {

    static DeliveryHarness h;
    static final int GOOD = Peers.port("STARTTLS");
    static final int WRONG_NAME = Peers.port("WRONG_NAME");
    static final int PLAIN = Peers.port("PLAIN");

    @BeforeAll
    static void start() {
        h = new DeliveryHarness(StsPeers.dns(), StsPeers.trust(), Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() throws Exception {
        h.close();
    }

    private static RecipientResult send(String domain, EffectivePolicy policy) throws Exception {
        return h.deliverOne(DeliveryHarness.unique("sts", domain + ".sts.test"), policy);
    }

    private static EffectivePolicy opportunistic(int port) {
        return Policies.policy().mode(TlsMode.OPPORTUNISTIC).verify(TlsVerify.NONE).port(port).build();
    }

    private static EffectivePolicy withMtaSts(EffectivePolicy p, MtaStsMode mode, String reason) {
        PolicyRule.Tls t = p.tls();
        return new EffectivePolicy(p.rule(), p.version(), new PolicyRule.Tls(t.mode(), t.verify(), t.minVersion(), t.maxVersion(),
                t.fallbackToPlaintext(), t.implicit(), mode, reason), p.auth(), p.route(), p.limits(), p.retry());
    }

    @Test
    void enforceWithAValidMxCertificateDeliversUnderTheStrengthenedSettings() throws Exception {
        // the rule asks for less (REQUIRED, verify NONE): the policy makes it verify the MX name
        RecipientResult r = send("enforce", Policies.policy().port(GOOD).build());
        assertEquals(Outcome.DELIVERED, r.outcome(), r.diagnosis());
        assertEquals(Boolean.TRUE, r.tls().verified());
        DeliveryEvent.MtaSts m = r.mtaSts();
        assertEquals("ENFORCE", m.status());
        assertEquals("e1", m.policyId());
        assertEquals(List.of("mx.peer.test", "*.example.test"), m.mxPatterns());
        assertTrue(m.policy().contains("mode: enforce") && m.policy().contains("max_age: 86400"), m.policy());
        assertNull(m.failure());
        assertTrue(m.reason().contains("e1"), m.reason());
        Peers.awaitMessageFor(r.recipient());
    }

    @Test
    void enforceWithNoMxInsideThePatternsDefersAndNeverConnects() throws Exception {
        RecipientResult r = send("outside", Policies.policy().port(GOOD).build());
        assertEquals(Outcome.DEFERRED, r.outcome());
        assertEquals(Stage.CONNECT, r.stage());
        assertNull(r.remote(), "no session was tried");
        assertEquals("ENFORCE", r.mtaSts().status());
        assertEquals("validation-failure", r.mtaSts().failure());
        assertEquals(List.of("mx.elsewhere.test", "*.elsewhere.test"), r.mtaSts().mxPatterns());
        assertTrue(r.diagnosis().contains("MTA-STS") && r.diagnosis().contains("mx.peer.test"), r.diagnosis());
    }

    @Test
    void enforceStrengthensAnOpportunisticRuleAgainstAWrongNameCertificate() throws Exception {
        RecipientResult r = send("enforce", opportunistic(WRONG_NAME));
        assertEquals(Outcome.DEFERRED, r.outcome(), r.diagnosis());
        assertEquals("ENFORCE", r.mtaSts().status());
        assertEquals("certificate-host-mismatch", r.mtaSts().failure());
        assertFalse(r.fellBackToPlaintext());
        assertTrue(r.diagnosis().contains("MTA-STS") && r.diagnosis().contains("enforce policy (id e1)"), r.diagnosis());
    }

    @Test
    void enforceRefusesAServerWithoutStarttls() throws Exception {
        RecipientResult r = send("enforce", opportunistic(PLAIN));
        assertEquals(Outcome.DEFERRED, r.outcome(), r.diagnosis());
        assertEquals("starttls-not-supported", r.mtaSts().failure());
    }

    @Test
    void testingDeliversAsTheRuleSaysAndRecordsTheWouldBeFailure() throws Exception {
        RecipientResult r = send("testing", opportunistic(WRONG_NAME));
        assertEquals(Outcome.DELIVERED, r.outcome(), r.diagnosis());
        assertEquals("TESTING", r.mtaSts().status());
        assertEquals("t1", r.mtaSts().policyId());
        assertEquals("certificate-host-mismatch", r.mtaSts().failure());
        assertTrue(r.diagnosis().contains("would have failed (certificate-host-mismatch)"), r.diagnosis());
        Peers.awaitMessageFor(r.recipient());
    }

    @Test
    void testingWithAGoodCertificateRecordsNoFailure() throws Exception {
        RecipientResult r = send("testing", Policies.policy().port(GOOD).build());
        assertEquals(Outcome.DELIVERED, r.outcome(), r.diagnosis());
        assertEquals("TESTING", r.mtaSts().status());
        assertNull(r.mtaSts().failure());
    }

    @Test
    void anInvalidPolicyFileIsTreatedAsNoPolicyAndDeliveredPerRule() throws Exception {
        RecipientResult r = send("invalid", opportunistic(WRONG_NAME));
        assertEquals(Outcome.DELIVERED, r.outcome(), r.diagnosis());
        assertEquals("INVALID", r.mtaSts().status());
        assertEquals("sts-policy-invalid", r.mtaSts().failure());
        assertNull(r.mtaSts().policyId());
        assertTrue(r.mtaSts().reason().contains("mode \"strict\""), r.mtaSts().reason());
    }

    @Test
    void aPolicyHostWithAnUntrustedCertificateIsWebPkiInvalid() throws Exception {
        RecipientResult r = send("untrusted", opportunistic(WRONG_NAME));
        assertEquals(Outcome.DELIVERED, r.outcome(), r.diagnosis());
        assertEquals("FETCH_ERROR", r.mtaSts().status());
        assertEquals("sts-webpki-invalid", r.mtaSts().failure());
        assertTrue(r.mtaSts().reason().contains("mta-sts.untrusted.sts.test"), r.mtaSts().reason());
    }

    @Test
    void aPolicyHostWhoseCertificateNamesAnotherHostIsWebPkiInvalid() throws Exception {
        RecipientResult r = send("wrongname", opportunistic(GOOD));
        assertEquals(Outcome.DELIVERED, r.outcome(), r.diagnosis());
        assertEquals("FETCH_ERROR", r.mtaSts().status());
        assertEquals("sts-webpki-invalid", r.mtaSts().failure());
    }

    @Test
    void aRedirectIsNotFollowedAndTextHtmlIsRefused() throws Exception {
        RecipientResult redirect = send("redirect", opportunistic(GOOD));
        assertEquals("FETCH_ERROR", redirect.mtaSts().status());
        assertEquals("sts-policy-fetch-error", redirect.mtaSts().failure());
        assertTrue(redirect.mtaSts().reason().contains("301"), redirect.mtaSts().reason());
        RecipientResult html = send("html", opportunistic(GOOD));
        assertEquals("FETCH_ERROR", html.mtaSts().status());
        assertTrue(html.mtaSts().reason().contains("text/html"), html.mtaSts().reason());
    }

    @Test
    void noRecordIsNotPublishedAndModeNoneIsNone() throws Exception {
        RecipientResult unpublished = send("unpublished", opportunistic(GOOD));
        assertEquals(Outcome.DELIVERED, unpublished.outcome(), unpublished.diagnosis());
        assertEquals(new DeliveryEvent.MtaSts("NOT_PUBLISHED", null, null, List.of(), null,
                "unpublished.sts.test publishes no _mta-sts TXT record"), unpublished.mtaSts());
        RecipientResult none = send("none", opportunistic(WRONG_NAME));
        assertEquals(Outcome.DELIVERED, none.outcome(), none.diagnosis());
        assertEquals("NONE", none.mtaSts().status());
        assertNull(none.mtaSts().failure());
    }

    @Test
    void ignoreWithAReasonDeliversPerRuleAndSaysSoInTheEvent() throws Exception {
        // the domain's enforce policy names no MX it has: honoured, nothing would go out
        EffectivePolicy ignoring = withMtaSts(Policies.policy().port(GOOD).build(), MtaStsMode.IGNORE, "ticket 4711: their policy lists a retired MX");
        RecipientResult r = send("ignore", ignoring);
        assertEquals(Outcome.DELIVERED, r.outcome(), r.diagnosis());
        assertEquals("IGNORED", r.mtaSts().status());
        assertEquals("g1", r.mtaSts().policyId());
        assertTrue(r.mtaSts().reason().contains("ticket 4711: their policy lists a retired MX")
                && r.mtaSts().reason().contains("mode enforce"), r.mtaSts().reason());
        RecipientResult honoured = send("ignore", Policies.policy().port(GOOD).build());
        assertEquals(Outcome.DEFERRED, honoured.outcome());
        assertEquals("validation-failure", honoured.mtaSts().failure());
    }

    @Test
    void aSmartHostRouteIsNotSubjectToMtaSts() throws Exception {
        RecipientResult r = send("outside", Policies.policy().smartHost("127.0.0.1:" + GOOD).build());
        assertEquals(Outcome.DELIVERED, r.outcome(), r.diagnosis());
        assertEquals("NOT_CHECKED", r.mtaSts().status());
        assertTrue(r.mtaSts().reason().contains("smart host"), r.mtaSts().reason());
    }
}
