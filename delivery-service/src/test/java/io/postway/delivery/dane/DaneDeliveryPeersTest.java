package io.postway.delivery.dane;

import io.postway.contract.event.DeliveryEvent;
import io.postway.contract.policy.DaneMode;
import io.postway.contract.policy.TlsMode;
import io.postway.contract.policy.TlsVerify;
import io.postway.delivery.domain.Outcome;
import io.postway.delivery.domain.RecipientResult;
import io.postway.delivery.domain.Stage;
import io.postway.delivery.smtp.DeliveryHarness;
import io.postway.delivery.smtp.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.postway.delivery.smtp.DeliveryHarness.unique;
import static io.postway.delivery.smtp.Policies.policy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DANE deliveries against the real peers: bind9 serving the signed zones dane.test and peer.test
 * (TLSA records computed from the Postfix peers' certificates; one broken signature; an unsigned
 * child zone), unbound validating them, and the Postfix listeners 10025 (certificate for *.peer.test)
 * and 10031 (certificate for wrong.invalid). Every test runs in both resolver modes (subclasses).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DaneDeliveryPeersTest {

    static final int STARTTLS = 10025;
    static final int WRONG_NAME = 10031;

    /** No extra CA: the peers' certificates are not WebPKI-trusted, so only DANE can authenticate them. */
    final DeliveryHarness h = harness();

    abstract DeliveryHarness harness();

    static DeliveryHarness validating() {
        var env = Peers.daneEnv();
        return new DeliveryHarness(null, Duration.ofSeconds(5), env.get("PEERS_DANE_AUTHORITATIVE"), vertx -> new DaneLookup(vertx,
                SecureDns.create(io.postway.delivery.config.DeliveryConfig.Dane.DnssecTrust.VALIDATE, env.get("PEERS_DANE_AUTHORITATIVE"), Path.of(env.get("PEERS_DANE_TRUST_ANCHORS")),
                        Duration.ofSeconds(3))));
    }

    static DeliveryHarness adBit() {
        var env = Peers.daneEnv();
        return new DeliveryHarness(null, Duration.ofSeconds(5), env.get("PEERS_DANE_VALIDATOR"), vertx -> new DaneLookup(vertx,
                SecureDns.create(io.postway.delivery.config.DeliveryConfig.Dane.DnssecTrust.AD_BIT, env.get("PEERS_DANE_VALIDATOR"), null, Duration.ofSeconds(3))));
    }

    @AfterAll
    void stop() throws Exception {
        h.close();
    }

    private static void assertDane(RecipientResult r, String status, String tlsaName, String failure) {
        DeliveryEvent.Dane d = r.dane();
        assertEquals(status, d.status(), r.diagnosis() + "\n" + String.join("\n", r.transcript()));
        assertEquals(tlsaName, d.tlsaName());
        assertEquals(failure, d.failure());
    }

    private static void assertDelivered(RecipientResult r, String rcpt) {
        assertEquals(Outcome.DELIVERED, r.outcome(), r.diagnosis() + "\n" + String.join("\n", r.transcript()));
        Peers.awaitMessageFor(rcpt);
    }

    @Test
    void daneEeMatchDeliversEvenToTheWrongNameCertificateUnderHostnameVerify() throws Exception {
        String rcpt = unique("ee", "ee.dane.test");
        RecipientResult r = h.deliverOne(rcpt, policy().verify(TlsVerify.HOSTNAME).port(WRONG_NAME).build());
        assertDelivered(r, rcpt);
        assertDane(r, "MATCH", "_10031._tcp.mx-ee.dane.test", null);
        assertEquals(1, r.dane().records().size());
        assertTrue(r.dane().records().get(0).matches("3 1 1 [0-9a-f]{64}"), r.dane().records().toString());
        assertTrue(r.tls().used());
        assertEquals(Boolean.TRUE, r.tls().verified(), "DANE authenticated the certificate");
        assertEquals("mx-ee.dane.test", r.remote().host());
    }

    @Test
    void usableTlsaRecordsMakeTlsMandatoryEvenWhereTheRuleDisablesIt() throws Exception {
        String rcpt = unique("ee-off", "ee.dane.test");
        RecipientResult r = h.deliverOne(rcpt, policy().mode(TlsMode.DISABLED).port(WRONG_NAME).build());
        assertDelivered(r, rcpt);
        assertTrue(r.tls().used(), "RFC 7672 2.2: TLS is mandatory with usable TLSA records");
        assertTrue(r.transcript().contains("C: STARTTLS"), r.transcript().toString());
        assertDane(r, "MATCH", "_10031._tcp.mx-ee.dane.test", null);
    }

    @Test
    void daneTaMatchDeliversWithAFullCertificateRecordTheServerDoesNotSend() throws Exception {
        String rcpt = unique("ta", "ta.dane.test");
        // verify CA with no extra trust: WebPKI alone would refuse the peers' private CA
        RecipientResult r = h.deliverOne(rcpt, policy().verify(TlsVerify.CA).port(STARTTLS).build());
        assertDelivered(r, rcpt);
        assertDane(r, "MATCH", "_10025._tcp.ta.peer.test", null);
        assertTrue(r.dane().records().get(0).startsWith("2 0 0 30"), r.dane().records().toString());
        assertEquals("ta.peer.test", r.remote().host());
    }

    @Test
    void daneTaWithALeafNotNamingTheMxHostDefersAndSendsNothing() throws Exception {
        String rcpt = unique("ta-name", "ta.dane.test");
        RecipientResult r = h.deliverOne(rcpt, policy().mode(TlsMode.OPPORTUNISTIC).port(WRONG_NAME).build());
        assertEquals(Outcome.DEFERRED, r.outcome(), r.diagnosis());
        assertEquals(Stage.TLS_HANDSHAKE, r.stage());
        assertDane(r, "MISMATCH", "_10031._tcp.ta.peer.test", DaneCheck.TLSA_INVALID);
        assertTrue(r.diagnosis().contains("does not name ta.peer.test"), r.diagnosis());
        assertFalse(r.transcript().stream().anyMatch(l -> l.startsWith("C: MAIL")), r.transcript().toString());
        assertFalse(Peers.hasMessageFor(rcpt));
    }

    @Test
    void daneEeMismatchDefersWhereTheRuleAloneWouldDeliverAndNeverFallsBackToPlaintext() throws Exception {
        String rcpt = unique("mismatch", "mismatch.dane.test");
        RecipientResult r = h.deliverOne(rcpt, policy().mode(TlsMode.OPPORTUNISTIC).fallback().port(STARTTLS).build());
        assertEquals(Outcome.DEFERRED, r.outcome(), r.diagnosis());
        assertEquals(Stage.TLS_HANDSHAKE, r.stage());
        assertFalse(r.fellBackToPlaintext());
        assertDane(r, "MISMATCH", "_10025._tcp.mx-mismatch.dane.test", DaneCheck.TLSA_INVALID);
        assertTrue(r.diagnosis().startsWith("The certificate of mx-mismatch.dane.test matches none of its DNSSEC-signed TLSA records"),
                r.diagnosis());
        assertFalse(r.transcript().stream().anyMatch(l -> l.startsWith("C: MAIL")), r.transcript().toString());
        assertFalse(Peers.hasMessageFor(rcpt));
    }

    @Test
    void aBogusTlsaSignatureKeepsTheHostUnusedAndDefers() throws Exception {
        String rcpt = unique("bogus", "bogus.dane.test");
        RecipientResult r = h.deliverOne(rcpt, policy().mode(TlsMode.OPPORTUNISTIC).port(STARTTLS).build());
        assertEquals(Outcome.DEFERRED, r.outcome(), r.diagnosis());
        assertEquals(Stage.CONNECT, r.stage());
        assertDane(r, "BOGUS", "_10025._tcp.mx-bogus.dane.test", DaneCheck.DNSSEC_INVALID);
        assertTrue(r.transcript().isEmpty(), "no session was opened: " + r.transcript());
        assertFalse(Peers.hasMessageFor(rcpt));
    }

    @Test
    void anInsecureZoneLeavesTheRuleAsItIsAndIgnoresItsTlsaRecords() throws Exception {
        String rcpt = unique("insecure", "insecure.dane.test");
        RecipientResult r = h.deliverOne(rcpt, policy().mode(TlsMode.OPPORTUNISTIC).port(STARTTLS).build());
        assertDelivered(r, rcpt);
        assertDane(r, "INSECURE", "_10025._tcp.mx.insecure.dane.test", null);
        assertEquals(List.of(), r.dane().records());
        assertEquals(Boolean.FALSE, r.tls().verified(), "no DANE and no trusted CA: the rule's own (reported) check");
    }

    @Test
    void requiredDaneWithoutTlsaRecordsDefersAsDaneRequired() throws Exception {
        String rcpt = unique("required", "none.dane.test");
        RecipientResult r = h.deliverOne(rcpt, policy().mode(TlsMode.OPPORTUNISTIC).dane(DaneMode.REQUIRED).port(STARTTLS).build());
        assertEquals(Outcome.DEFERRED, r.outcome(), r.diagnosis());
        assertDane(r, "NO_RECORDS", "_10025._tcp.mx-none.dane.test", DaneCheck.DANE_REQUIRED);
        assertTrue(r.diagnosis().contains("tls.dane REQUIRED"), r.diagnosis());
        assertFalse(Peers.hasMessageFor(rcpt));

        String opportunistic = unique("no-records", "none.dane.test");
        RecipientResult o = h.deliverOne(opportunistic, policy().mode(TlsMode.OPPORTUNISTIC).port(STARTTLS).build());
        assertDelivered(o, opportunistic);
        assertDane(o, "NO_RECORDS", "_10025._tcp.mx-none.dane.test", null);
    }

    @Test
    void requiredDaneInAnInsecureZoneDefersAsDaneRequired() throws Exception {
        RecipientResult r = h.deliverOne(unique("required-insecure", "insecure.dane.test"),
                policy().mode(TlsMode.OPPORTUNISTIC).dane(DaneMode.REQUIRED).port(STARTTLS).build());
        assertEquals(Outcome.DEFERRED, r.outcome(), r.diagnosis());
        assertDane(r, "INSECURE", "_10025._tcp.mx.insecure.dane.test", DaneCheck.DANE_REQUIRED);
    }

    @Test
    void onlyPkixTlsaRecordsAreUnusableTlsStaysMandatoryAndRequiredRefuses() throws Exception {
        String rcpt = unique("unusable", "unusable.dane.test");
        RecipientResult r = h.deliverOne(rcpt, policy().mode(TlsMode.DISABLED).port(STARTTLS).build());
        assertDelivered(r, rcpt);
        assertTrue(r.tls().used(), "RFC 7672 2.2: an unusable TLSA set still makes TLS mandatory");
        assertDane(r, "UNUSABLE", "_10025._tcp.mx-unusable.dane.test", null);
        assertTrue(r.dane().records().get(0).startsWith("1 1 1 "), r.dane().records().toString());

        RecipientResult required = h.deliverOne(unique("unusable-req", "unusable.dane.test"),
                policy().mode(TlsMode.OPPORTUNISTIC).dane(DaneMode.REQUIRED).port(STARTTLS).build());
        assertEquals(Outcome.DEFERRED, required.outcome(), required.diagnosis());
        assertDane(required, "UNUSABLE", "_10025._tcp.mx-unusable.dane.test", DaneCheck.TLSA_INVALID);
    }

    @Test
    void daneOffLooksNothingUpAndTheRuleDecidesAlone() throws Exception {
        RecipientResult r = h.deliverOne(unique("off", "ee.dane.test"),
                policy().verify(TlsVerify.HOSTNAME).dane(DaneMode.OFF).port(WRONG_NAME).build());
        assertEquals(Outcome.DEFERRED, r.outcome(), r.diagnosis());
        assertEquals(Stage.TLS_HANDSHAKE, r.stage());
        assertEquals(DeliveryEvent.Dane.NOT_CHECKED, r.dane());
        assertNull(r.dane().tlsaName());
    }
}
