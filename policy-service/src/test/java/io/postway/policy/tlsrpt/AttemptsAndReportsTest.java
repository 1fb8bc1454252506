package io.postway.policy.tlsrpt;

import com.fasterxml.jackson.databind.JsonNode;
import io.postway.contract.event.DeliveryEvent;
import io.postway.contract.event.EventType;
import io.postway.contract.json.ContractJson;
import io.postway.contract.tlsrpt.PolicyType;
import io.postway.contract.tlsrpt.ResultType;
import io.postway.testkit.ContractSchemas;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static io.postway.policy.tlsrpt.TlsRptEvents.deferred;
import static io.postway.policy.tlsrpt.TlsRptEvents.delivered;
import static io.postway.policy.tlsrpt.TlsRptEvents.withDane;
import static io.postway.policy.tlsrpt.TlsRptEvents.withMtaSts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** From delivery events to an RFC 8460 report, its record in DNS, and its mail. */
class AttemptsAndReportsTest {

    static final String SCHEMA = ContractSchemas.RFC8460_REPORT;
    static final Instant AT = Instant.parse("2026-11-28T10:00:00Z");
    static final Reports.Submitter WHO = new Reports.Submitter("Contoso", "mail.contoso.test", "postmaster@contoso.test", null);

    @Test
    void aTlsSessionIsASuccessAFailureTypeAFailureAndNeitherIsNotCounted() {
        Attempt ok = Attempts.of(delivered("fabrikam.test", "mx.fabrikam.test", AT)).orElseThrow();
        assertEquals(PolicyType.NO_POLICY_FOUND, ok.policyType());
        assertNull(ok.result());
        assertEquals(LocalDate.of(2026, 11, 28), ok.day());
        assertEquals("fabrikam.test", ok.policyDomain());
        assertEquals("mx.fabrikam.test", ok.receivingMx());

        Attempt failed = Attempts.of(deferred("fabrikam.test", "mx.fabrikam.test", AT, ResultType.CERTIFICATE_HOST_MISMATCH)).orElseThrow();
        assertEquals(ResultType.CERTIFICATE_HOST_MISMATCH, failed.result());
        assertTrue(failed.reason().contains("handshake"), failed.reason());

        // a deferral that is no TLS failure, without a TLS session: nothing to report
        assertTrue(Attempts.of(deferred("fabrikam.test", "mx.fabrikam.test", AT, null)).isEmpty());
        // the router's events have no session
        var routerBounce = TlsRptEvents.json(TlsRptEvents.DELIVERY.event(EventType.BOUNCED, "m", "x@fabrikam.test", "fabrikam.test", 0, AT)
                .remote(DeliveryEvent.Remote.NONE).build());
        assertTrue(Attempts.of(routerBounce).isEmpty());
    }

    @Test
    void theEventsPolicyObjectsChooseThePolicyAndATestingPolicysFailureCounts() {
        String policy = "version: STSv1\r\nmode: testing\r\nmx: *.fabrikam.test\r\nmax_age: 86400\r\n";
        Attempt sts = Attempts.of(withMtaSts(delivered("fabrikam.test", "mx.fabrikam.test", AT), "TESTING", policy,
                List.of("*.fabrikam.test"), "certificate-host-mismatch")).orElseThrow();
        assertEquals(PolicyType.STS, sts.policyType());
        assertEquals(List.of("version: STSv1", "mode: testing", "mx: *.fabrikam.test", "max_age: 86400"), sts.policyStrings());
        assertEquals(List.of("*.fabrikam.test"), sts.mxHost());
        assertEquals(ResultType.CERTIFICATE_HOST_MISMATCH, sts.result(), "testing mode reports the would-be failure");

        Attempt tlsa = Attempts.of(withDane(delivered("fabrikam.test", "mx.fabrikam.test", AT), "MATCH", "_25._tcp.mx.fabrikam.test",
                List.of("3 1 1 abcd"), null)).orElseThrow();
        assertEquals(PolicyType.TLSA, tlsa.policyType());
        assertEquals(List.of("3 1 1 abcd"), tlsa.policyStrings());
        assertEquals(List.of("mx.fabrikam.test"), tlsa.mxHost());
        assertNull(tlsa.result());

        Attempt none = Attempts.of(withDane(withMtaSts(delivered("fabrikam.test", "mx.fabrikam.test", AT), "NOT_PUBLISHED", null,
                List.of(), null), "NO_RECORDS", null, List.of(), null)).orElseThrow();
        assertEquals(PolicyType.NO_POLICY_FOUND, none.policyType());
    }

    @Test
    void theStreamingReadOfARecordGivesWhatTheWholeEventGives() throws Exception {
        String policy = "version: STSv1\r\nmode: enforce\r\nmx: *.fabrikam.test\r\nmax_age: 86400\r\n";
        var withTranscript = deferred("fabrikam.test", "mx.fabrikam.test", AT, ResultType.CERTIFICATE_EXPIRED);
        var transcript = withTranscript.withArray("/data/transcript");
        for (int i = 0; i < 200; i++) {
            transcript.add("S: 250-line " + i + " with \"quotes\", {braces} and [brackets]");
        }
        List<com.fasterxml.jackson.databind.node.ObjectNode> events = List.of(
                delivered("fabrikam.test", "mx.fabrikam.test", AT),
                withTranscript,
                withMtaSts(delivered("fabrikam.test", "mx.fabrikam.test", AT), "ENFORCE", policy, List.of("*.fabrikam.test"), null),
                withDane(deferred("fabrikam.test", "mx.fabrikam.test", AT, null), "MISMATCH", "_25._tcp.mx.fabrikam.test",
                        List.of("3 1 1 abcd"), "tlsa-invalid"));
        for (var event : events) {
            Attempt whole = Attempts.of(event).orElseThrow();
            assertEquals(whole, Attempts.read(ContractJson.MAPPER.writeValueAsBytes(event)).orElseThrow(), event.toString());
        }
        // intake's accepted event and a non-session deferral count as nothing either way
        var accepted = TlsRptEvents.json(TlsRptEvents.DELIVERY.event(EventType.ACCEPTED, "m", "x@fabrikam.test", "fabrikam.test", 0, AT)
                .remote(DeliveryEvent.Remote.NONE).build());
        assertTrue(Attempts.read(ContractJson.MAPPER.writeValueAsBytes(accepted)).isEmpty());
        assertTrue(Attempts.read(ContractJson.MAPPER.writeValueAsBytes(deferred("fabrikam.test", "mx.fabrikam.test", AT, null))).isEmpty());
        assertThrows(java.io.IOException.class, () -> Attempts.read("\"e1\"".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theReportCountsSessionsPerPolicyAndIsValidAgainstRfc8460sSchema() {
        List<Attempt> attempts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            attempts.add(Attempts.of(delivered("fabrikam.test", "mx.fabrikam.test", AT.plusSeconds(i))).orElseThrow());
        }
        var mismatch = deferred("fabrikam.test", "mx.fabrikam.test", AT.plusSeconds(10), ResultType.CERTIFICATE_HOST_MISMATCH);
        attempts.add(Attempts.of(mismatch).orElseThrow());
        // a second recipient of the same job (same message, attempt, MX): the same session
        var sameSession = mismatch.deepCopy();
        sameSession.put("id", "another-event-id");
        ((com.fasterxml.jackson.databind.node.ObjectNode) sameSession.get("data")).put("recipient", "other@fabrikam.test");
        attempts.add(Attempts.of(sameSession).orElseThrow());
        attempts.add(Attempts.of(deferred("fabrikam.test", "mx2.fabrikam.test", AT.plusSeconds(20), ResultType.STARTTLS_NOT_SUPPORTED)).orElseThrow());
        attempts.add(Attempts.of(withMtaSts(delivered("fabrikam.test", "mx.fabrikam.test", AT.plusSeconds(30)), "ENFORCE",
                "version: STSv1\nmode: enforce\nmx: mx.fabrikam.test\nmax_age: 604800", List.of("mx.fabrikam.test"), null)).orElseThrow());

        Report report = Reports.build("fabrikam.test", LocalDate.of(2026, 11, 28), attempts, WHO);
        String json = ContractJson.write(report);
        assertEquals(List.of(), ContractSchemas.violationsOfResource(SCHEMA, json), json);

        JsonNode r = ContractJson.MAPPER.valueToTree(report);
        assertEquals("2026-11-28T00:00:00Z", r.at("/date-range/start-datetime").asText());
        assertEquals("2026-11-28T23:59:59Z", r.at("/date-range/end-datetime").asText());
        assertEquals("2026-11-28.fabrikam.test@mail.contoso.test", r.get("report-id").asText());
        assertEquals("Contoso", r.get("organization-name").asText());
        assertEquals(2, r.get("policies").size());
        JsonNode none = r.get("policies").get(0);
        assertEquals("no-policy-found", none.at("/policy/policy-type").asText());
        assertEquals("fabrikam.test", none.at("/policy/policy-domain").asText());
        assertTrue(none.at("/policy/policy-string").isMissingNode(), "no policy, no policy-string");
        assertEquals(3, none.at("/summary/total-successful-session-count").asLong());
        assertEquals(2, none.at("/summary/total-failure-session-count").asLong(), "two recipients of one session count once");
        JsonNode details = none.get("failure-details");
        assertEquals(2, details.size());
        assertEquals("certificate-host-mismatch", details.get(0).get("result-type").asText());
        assertEquals("mx.fabrikam.test", details.get(0).get("receiving-mx-hostname").asText());
        assertEquals("127.0.0.1", details.get(0).get("receiving-ip").asText());
        assertEquals(1, details.get(0).get("failed-session-count").asLong());
        assertEquals("starttls-not-supported", details.get(1).get("result-type").asText());
        JsonNode sts = r.get("policies").get(1);
        assertEquals("sts", sts.at("/policy/policy-type").asText());
        assertEquals("mode: enforce", sts.at("/policy/policy-string/1").asText());
        assertEquals("mx.fabrikam.test", sts.at("/policy/mx-host/0").asText());
        assertEquals(1, sts.at("/summary/total-successful-session-count").asLong());
        assertTrue(sts.at("/failure-details").isMissingNode());
        assertEquals("mail.contoso.test!fabrikam.test!1795824000!1795910399.json.gz",
                Reports.filename("mail.contoso.test", "fabrikam.test", LocalDate.of(2026, 11, 28)));
    }

    @Test
    void theSchemaRefusesWhatRfc8460Forbids() {
        String noPolicies = "{\"organization-name\":\"x\",\"date-range\":{\"start-datetime\":\"2026-11-28T00:00:00Z\","
                + "\"end-datetime\":\"2026-11-28T23:59:59Z\"},\"contact-info\":\"a@b\",\"report-id\":\"r\"}";
        assertTrue(!ContractSchemas.violationsOfResource(SCHEMA, noPolicies).isEmpty());
        String badType = noPolicies.replace("}", "").replace("\"r\"", "\"r\",\"policies\":[{\"policy\":{\"policy-type\":\"sts\","
                + "\"policy-string\":[],\"policy-domain\":\"d\"},\"summary\":{\"total-successful-session-count\":0,"
                + "\"total-failure-session-count\":1},\"failure-details\":[{\"result-type\":\"no-such-thing\",\"failed-session-count\":1}]}]}");
        assertTrue(ContractSchemas.violationsOfResource(SCHEMA, badType + "}}").size() > 0);
    }

    @Test
    void theTxtRecordNamesTheDestinations() {
        assertEquals(List.of("mailto:tlsrpt@fabrikam.test", "https://reports.fabrikam.test/v1"),
                TlsRptRecord.parse(List.of("v=TLSRPTv1; rua=mailto:tlsrpt@fabrikam.test, https://reports.fabrikam.test/v1")).rua());
        assertEquals(List.of("https://r.test/x"), TlsRptRecord.parse(List.of("v=spf1 -all", "v=TLSRPTv1;rua=https://r.test/x;ext=1")).rua());
        assertTrue(TlsRptRecord.parse(List.of()).problem().contains("no v=TLSRPTv1"));
        assertTrue(TlsRptRecord.parse(List.of("v=TLSRPTv1; rua=https://a.test/", "v=TLSRPTv1; rua=https://b.test/")).problem()
                .contains("none is used"));
        assertTrue(TlsRptRecord.parse(List.of("v=TLSRPTv10; rua=https://a.test/")).problem().contains("no v=TLSRPTv1"));
        assertTrue(TlsRptRecord.parse(List.of("v=TLSRPTv1; rua=ftp://a.test/")).problem().contains("no mailto: or https:"));
        assertTrue(TlsRptRecord.parse(List.of("v=TLSRPTv1")).problem().contains("no rua"));
    }

    @Test
    void theMailHasRfc8460sHeadersAndTheGzippedReport() throws Exception {
        byte[] gz = Reports.gzip("{\"report-id\":\"r1\"}");
        String mail = new String(ReportMail.of("tlsrpt@contoso.test", "tlsrpt@fabrikam.test", "fabrikam.test", "mail.contoso.test", "r1",
                "mail.contoso.test!fabrikam.test!1!2.json.gz", gz, ZonedDateTime.of(2026, 11, 29, 1, 0, 0, 0, ZoneOffset.UTC)),
                StandardCharsets.US_ASCII);
        assertTrue(mail.contains("\r\nSubject: Report Domain: fabrikam.test Submitter: mail.contoso.test Report-ID: <r1>\r\n"), mail);
        assertTrue(mail.contains("\r\nTLS-Report-Domain: fabrikam.test\r\n"), mail);
        assertTrue(mail.contains("\r\nTLS-Report-Submitter: mail.contoso.test\r\n"), mail);
        assertTrue(mail.contains("Content-Type: multipart/report; report-type=\"tlsrpt\"; boundary="), mail);
        assertTrue(mail.contains("Content-Type: application/tlsrpt+gzip\r\nContent-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=\"mail.contoso.test!fabrikam.test!1!2.json.gz\"\r\n\r\n"), mail);
        assertTrue(mail.replace("\r\n", "").indexOf('\n') < 0 && mail.replace("\r\n", "").indexOf('\r') < 0, "CRLF only");
        String b64 = mail.substring(mail.indexOf("filename=") + 1).split("\r\n\r\n", 2)[1].split("\r\n--")[0];
        byte[] back = new GZIPInputStream(new ByteArrayInputStream(Base64.getMimeDecoder().decode(b64))).readAllBytes();
        assertEquals("{\"report-id\":\"r1\"}", new String(back, StandardCharsets.UTF_8));
    }

    @Test
    void aMailtoUriIsOneAddress() {
        assertEquals("tls+rpt@fabrikam.test", ReportSender.address("mailto:tls+rpt@fabrikam.test"));
        assertEquals("a@b.test", ReportSender.address("mailto:a%40b.test?subject=x"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> ReportSender.address("mailto:a@b,c@d"));
    }
}
