package io.postway.delivery.domain;

import io.postway.contract.tlsrpt.ResultType;
import io.postway.delivery.domain.SessionFailure.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Every failure kind against contract.md's failureType table, and the policy failures winning. */
class FailureTypesTest {

    /** contract.md, "failureType": the kinds that are TLS failures and their RFC 8460 names. */
    static final Map<Kind, ResultType> TLS_KINDS = Map.ofEntries(
            Map.entry(Kind.DANE_MISMATCH, ResultType.TLSA_INVALID),
            Map.entry(Kind.DANE_UNUSABLE, ResultType.TLSA_INVALID),
            Map.entry(Kind.DANE_BOGUS, ResultType.DNSSEC_INVALID),
            Map.entry(Kind.DANE_LOOKUP_FAILED, ResultType.DNSSEC_INVALID),
            Map.entry(Kind.DANE_REQUIRED, ResultType.DANE_REQUIRED),
            Map.entry(Kind.MTA_STS_NO_MATCHING_MX, ResultType.VALIDATION_FAILURE),
            Map.entry(Kind.STARTTLS_NOT_OFFERED, ResultType.STARTTLS_NOT_SUPPORTED),
            Map.entry(Kind.STARTTLS_REFUSED, ResultType.STARTTLS_NOT_SUPPORTED),
            Map.entry(Kind.TLS_NAME_MISMATCH, ResultType.CERTIFICATE_HOST_MISMATCH),
            Map.entry(Kind.TLS_EXPIRED, ResultType.CERTIFICATE_EXPIRED),
            Map.entry(Kind.TLS_UNTRUSTED, ResultType.CERTIFICATE_NOT_TRUSTED),
            Map.entry(Kind.TLS_PROTOCOL_VERSION, ResultType.VALIDATION_FAILURE),
            Map.entry(Kind.TLS_PEER_CLOSED, ResultType.VALIDATION_FAILURE),
            Map.entry(Kind.TLS_HANDSHAKE, ResultType.VALIDATION_FAILURE));

    static SessionFailure failure(Kind kind, Stage stage) {
        return kind == Kind.REPLY
                ? SessionFailure.reply(stage, "mx.peer.test", SmtpReply.of(List.of("550 5.1.1 no such user")))
                : SessionFailure.of(kind, stage, "mx.peer.test", "detail");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyKindHasItsTypeOrNone(Kind kind) {
        Stage stage = kind.name().startsWith("TLS_") ? Stage.TLS_HANDSHAKE : kind.name().startsWith("STARTTLS") ? Stage.STARTTLS : Stage.RCPT;
        assertEquals(TLS_KINDS.get(kind), FailureTypes.of(failure(kind, stage), null, null), kind.name());
    }

    @Test
    void aStallOrDropCountsAsATlsFailureOnlyDuringTheHandshake() {
        for (Kind k : EnumSet.of(Kind.TIMEOUT, Kind.CONNECTION_CLOSED)) {
            assertEquals(ResultType.VALIDATION_FAILURE, FailureTypes.of(failure(k, Stage.TLS_HANDSHAKE), null, null), k.name());
            assertNull(FailureTypes.of(failure(k, Stage.DATA), null, null), k.name());
            assertNull(FailureTypes.of(failure(k, Stage.GREETING), null, null), k.name());
        }
    }

    @Test
    void aPolicyFailureWinsOverTheSessionsOwnAndMtaStsOverDane() {
        SessionFailure mismatch = failure(Kind.TLS_NAME_MISMATCH, Stage.TLS_HANDSHAKE);
        assertEquals(ResultType.STS_WEBPKI_INVALID, FailureTypes.of(mismatch, "sts-webpki-invalid", "tlsa-invalid"));
        assertEquals(ResultType.TLSA_INVALID, FailureTypes.of(mismatch, null, "tlsa-invalid"));
        // a policy failure gives a type even to a failure that has none of its own
        assertEquals(ResultType.DANE_REQUIRED, FailureTypes.of(failure(Kind.CONNECTION_REFUSED, Stage.CONNECT), null, "dane-required"));
        // a name RFC 8460 does not define is not invented into one
        assertEquals(ResultType.CERTIFICATE_HOST_MISMATCH, FailureTypes.of(mismatch, "no-such-type", null));
    }

    @Test
    void theWireNamesAreRfc8460s() {
        assertEquals(List.of("starttls-not-supported", "certificate-host-mismatch", "certificate-expired", "certificate-not-trusted",
                        "validation-failure", "tlsa-invalid", "dnssec-invalid", "dane-required", "sts-policy-fetch-error",
                        "sts-policy-invalid", "sts-webpki-invalid"),
                EnumSet.allOf(ResultType.class).stream().map(ResultType::wireName).toList());
    }
}
