package io.postway.testkit;

import io.postway.contract.OutboundKey;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.postway.contract.Topics;
import io.postway.contract.event.CloudEventsKafka;
import io.postway.contract.event.DeliveryEvent;
import io.postway.contract.event.DeliveryEvents;
import io.postway.contract.event.EventType;
import io.postway.contract.json.ContractJson;
import io.postway.contract.policy.AuthMethod;
import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.policy.PolicyRule;
import io.postway.contract.policy.TlsMode;
import io.postway.contract.policy.TlsVerify;
import io.postway.contract.policy.TlsVersion;
import io.postway.contract.wire.MailRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContractSchemasTest {

    static final String MESSAGE_ID = "6f1c2b9e-7f6a-4d1e-9c1b-0f3f9b8a2c11";
    static final Instant AT = Instant.parse("2026-11-28T10:00:01.234567Z");

    static final EffectivePolicy POLICY = new EffectivePolicy("fabrikam.com", 3,
            new PolicyRule.Tls(TlsMode.REQUIRED, TlsVerify.HOSTNAME, TlsVersion.TLS_1_2, TlsVersion.TLS_1_3, false, false),
            new PolicyRule.Auth(AuthMethod.NONE, null, null), new PolicyRule.Route(null, 25),
            new PolicyRule.Limits(20, 100),
            new PolicyRule.Retry(List.of(Duration.ofMinutes(15), Duration.ofHours(1)), Duration.ofDays(2)));

    static final DeliveryEvents DELIVERY = new DeliveryEvents("delivery-service", "delivery-1");

    static DeliveryEvent event(EventType type) {
        var b = DELIVERY.event(type, MESSAGE_ID, "user@fabrikam.com", "fabrikam.com",
                type == EventType.ACCEPTED ? 0 : 2, AT).submittedAt(AT.minusSeconds(60));
        switch (type) {
            case ACCEPTED -> {
            }
            case DELIVERED -> b.policy(POLICY)
                    .smtp(new DeliveryEvent.Smtp(250, "2.0.0", "OK queued", "DONE"))
                    .remote(new DeliveryEvent.Remote("mx1.fabrikam.com", "203.0.113.11", 25, "MX"))
                    .tls(new DeliveryEvent.Tls(true, "TLSv1.3", "TLS_AES_256_GCM_SHA384", true, "CN=mx1.fabrikam.com",
                            "CN=Test CA", AT.plus(Duration.ofDays(90)), false))
                    .transcript(List.of("S: 220 mx1.fabrikam.com ESMTP", "C: EHLO relay.contoso.com"));
            case DEFERRED -> b.policy(POLICY).smtp(new DeliveryEvent.Smtp(451, "4.7.1", "try later", "RCPT"))
                    .diagnosis("mx1.fabrikam.com said 451 4.7.1 at RCPT").nextAttemptAt(AT.plus(Duration.ofHours(1)));
            case BOUNCED -> b.policy(POLICY).smtp(new DeliveryEvent.Smtp(550, "5.1.1", "no such user", "RCPT"))
                    .diagnosis("mx1.fabrikam.com refused the recipient");
            case EXPIRED -> b.policy(POLICY).diagnosis("gave up after 2 days");
        }
        return b.build();
    }

    static ConsumerRecord<String, byte[]> record(String topic, String key, byte[] value, boolean contentType) {
        var headers = new RecordHeaders();
        if (contentType) {
            headers.add(CloudEventsKafka.CONTENT_TYPE_HEADER, CloudEventsKafka.contentTypeHeaderValue());
        }
        return new ConsumerRecord<>(topic, 0, 0L, AT.toEpochMilli(), TimestampType.CREATE_TIME, -1, -1, key, value,
                headers, Optional.empty());
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyEventTheBuilderMakesIsValidAndTheSdkReadsIt(EventType type) {
        DeliveryEvent event = event(type);
        byte[] json = ContractJson.writeBytes(event);

        ContractSchemas.assertValid(Topics.DELIVERY_EVENTS, json);
        var record = record(Topics.DELIVERY_EVENTS, MESSAGE_ID, json, true);
        ContractSchemas.assertValidRecord(record);

        CloudEvent read = ContractSchemas.readAsCloudEvent(record);
        assertEquals(event.id(), read.getId());
        assertEquals(type.type(), read.getType());
        assertEquals(event.source(), read.getSource().toString());
        assertEquals("user@fabrikam.com", read.getSubject());
        assertEquals("1.0", read.getSpecVersion().toString());
        assertEquals("application/json", read.getDataContentType());
        assertEquals(event.time(), read.getTime().toInstant());
        assertTrue(new String(read.getData().toBytes()).contains("\"status\":\"" + type.status() + "\""));
    }

    @Test
    void aDeliveryEventWithoutTheContentTypeHeaderIsRefused() {
        var record = record(Topics.DELIVERY_EVENTS, MESSAGE_ID, ContractJson.writeBytes(event(EventType.DELIVERED)), false);

        AssertionError e = assertThrows(AssertionError.class, () -> ContractSchemas.readAsCloudEvent(record));
        assertTrue(e.getMessage().contains("no 'content-type' header"), e.getMessage());
        assertThrows(AssertionError.class, () -> ContractSchemas.assertValidRecord(record));
    }

    @Test
    void aBinaryModeContentTypeIsRefused() {
        var record = record(Topics.DELIVERY_EVENTS, MESSAGE_ID, ContractJson.writeBytes(event(EventType.DELIVERED)), false);
        record.headers().add(CloudEventsKafka.CONTENT_TYPE_HEADER, "application/json".getBytes());

        AssertionError e = assertThrows(AssertionError.class, () -> ContractSchemas.readAsCloudEvent(record));
        assertTrue(e.getMessage().contains("'application/json'"), e.getMessage());
    }

    @Test
    void aValueTheSdkCannotReadIsRefused() {
        var record = record(Topics.DELIVERY_EVENTS, MESSAGE_ID, "{\"id\":\"x\"}".getBytes(), true);

        AssertionError e = assertThrows(AssertionError.class, () -> ContractSchemas.readAsCloudEvent(record));
        assertTrue(e.getMessage().startsWith("the CloudEvents SDK cannot read the record"), e.getMessage());
    }

    @Test
    void aMissingRequiredFieldIsNamedWithItsPath() {
        ObjectNode json = ContractJson.MAPPER.valueToTree(event(EventType.DEFERRED));
        ((ObjectNode) json.get("data")).remove("tls");
        json.remove("subject");

        AssertionError e = assertThrows(AssertionError.class,
                () -> ContractSchemas.assertValid(Topics.DELIVERY_EVENTS, json.toString()));
        assertTrue(e.getMessage().contains("(2 violations)"), e.getMessage());
        assertTrue(e.getMessage().contains("$.data: required property 'tls' not found"), e.getMessage());
        assertTrue(e.getMessage().contains("$: required property 'subject' not found"), e.getMessage());
    }

    @Test
    void aWrongEnumAndANegativeAttemptAreNamedWithTheirPaths() {
        ObjectNode json = ContractJson.MAPPER.valueToTree(event(EventType.BOUNCED));
        ((ObjectNode) json.get("data").get("policy")).put("tlsMode", "MANDATORY");
        ((ObjectNode) json.get("data")).put("attempt", -1);

        List<String> found = ContractSchemas.violations(Topics.DELIVERY_EVENTS, json.toString());
        assertTrue(found.stream().anyMatch(v -> v.startsWith("$.data.policy.tlsMode: does not have a value in the enumeration")), found.toString());
        assertTrue(found.stream().anyMatch(v -> v.startsWith("$.data.attempt: must have a minimum value of 0")), found.toString());
    }

    @Test
    void theTypeDecidesTheStatusAndAcceptedIsAttemptZero() {
        ObjectNode wrongStatus = ContractJson.MAPPER.valueToTree(event(EventType.DELIVERED));
        ((ObjectNode) wrongStatus.get("data")).put("status", "BOUNCED");
        ObjectNode acceptedAtOne = ContractJson.MAPPER.valueToTree(event(EventType.ACCEPTED));
        ((ObjectNode) acceptedAtOne.get("data")).put("attempt", 1);

        assertTrue(ContractSchemas.violations(Topics.DELIVERY_EVENTS, wrongStatus.toString()).stream()
                .anyMatch(v -> v.startsWith("$.data.status: must be the constant value 'DELIVERED'")));
        assertTrue(ContractSchemas.violations(Topics.DELIVERY_EVENTS, acceptedAtOne.toString()).stream()
                .anyMatch(v -> v.startsWith("$.data.attempt: must be the constant value '0'")));
    }

    @Test
    void nothingHasOneShapeSoANullSmtpObjectIsRefused() {
        ObjectNode json = ContractJson.MAPPER.valueToTree(event(EventType.ACCEPTED));
        ((ObjectNode) json.get("data")).putNull("smtp");

        assertTrue(ContractSchemas.violations(Topics.DELIVERY_EVENTS, json.toString()).stream()
                .anyMatch(v -> v.startsWith("$.data.smtp: null found, object expected")));
    }

    @Test
    void formatsAreAsserted() {
        ObjectNode json = ContractJson.MAPPER.valueToTree(event(EventType.DEFERRED));
        ((ObjectNode) json.get("data")).put("nextAttemptAt", "tomorrow");
        json.put("source", "/elsewhere/delivery-service/x");

        List<String> found = ContractSchemas.violations(Topics.DELIVERY_EVENTS, json.toString());
        assertTrue(found.stream().anyMatch(v -> v.startsWith("$.data.nextAttemptAt: does not match the date-time pattern")), found.toString());
        assertTrue(found.stream().anyMatch(v -> v.startsWith("$.source: does not match the regex pattern")), found.toString());
    }

    @Test
    void notJsonIsAViolationNotACrash() {
        AssertionError e = assertThrows(AssertionError.class, () -> ContractSchemas.assertValid(Topics.SUBMITTED, "{nope"));
        assertTrue(e.getMessage().contains("$: not JSON"), e.getMessage());
    }

    @Test
    void anUnknownTopicHasNoSchema() {
        var e = assertThrows(IllegalArgumentException.class, () -> ContractSchemas.violations("mail.other", "{}"));
        assertTrue(e.getMessage().contains("mail.outbound"), e.getMessage());
    }

    @Test
    void theKeyIsChecked() {
        var json = ContractJson.writeBytes(event(EventType.DELIVERED));

        AssertionError e = assertThrows(AssertionError.class,
                () -> ContractSchemas.assertValidRecord(record(Topics.DELIVERY_EVENTS, "fabrikam.com", json, true)));
        assertEquals("mail.delivery-events records are keyed by data.messageId '" + MESSAGE_ID
                + "', but the key is 'fabrikam.com'", e.getMessage());
    }

    @Test
    void aDeliveryEventWithoutItsDeterministicIdOrWithAnotherSubjectIsRefused() {
        ObjectNode randomId = ContractJson.MAPPER.valueToTree(event(EventType.DELIVERED));
        randomId.put("id", "0b7c3a52-9a0e-4d55-b6a2-4f3c2f0c8e11");
        ObjectNode otherSubject = ContractJson.MAPPER.valueToTree(event(EventType.DELIVERED));
        otherSubject.put("subject", "boss@contoso.com");

        AssertionError id = assertThrows(AssertionError.class, () -> ContractSchemas.assertValidRecord(
                record(Topics.DELIVERY_EVENTS, MESSAGE_ID, randomId.toString().getBytes(), true)));
        AssertionError subject = assertThrows(AssertionError.class, () -> ContractSchemas.assertValidRecord(
                record(Topics.DELIVERY_EVENTS, MESSAGE_ID, otherSubject.toString().getBytes(), true)));
        assertTrue(id.getMessage().contains("is not the deterministic id"), id.getMessage());
        assertTrue(subject.getMessage().contains("subject (= data.recipient)"), subject.getMessage());
    }

    @Test
    void aTombstoneIsValidOnlyOnPolicyChanges() {
        assertDoesNotThrow(() -> ContractSchemas.assertValidRecord(record(Topics.POLICY_CHANGES, "fabrikam.com", null, false)));
        assertThrows(AssertionError.class,
                () -> ContractSchemas.assertValidRecord(record(Topics.OUTBOUND, "fabrikam.com", null, false)));
    }

    /** A mail record in wire format 2: the metadata JSON in its header, the message as the value. */
    static ConsumerRecord<String, byte[]> mailRecord(String topic, String key, String metadata, byte[] message) {
        var record = record(topic, key, message, false);
        record.headers().add(MailRecords.FORMAT_HEADER, MailRecords.FORMAT.getBytes())
                .add(MailRecords.CONTENT_TYPE_HEADER, MailRecords.CONTENT_TYPE.getBytes())
                .add(MailRecords.METADATA_HEADER, metadata.getBytes());
        return record;
    }

    static final byte[] MESSAGE = "Subject: hi\r\n\r\nhi\r\n".getBytes();

    static String outboundMetadata() {
        return """
                {"jobId":"j-1","messageId":"%s","domain":"fabrikam.com","from":"it@contoso.com",
                 "recipients":["user@fabrikam.com"],"attempt":1,"submittedAt":"2026-11-28T10:00:00Z",
                 "policy":%s}""".formatted(MESSAGE_ID, ContractJson.write(POLICY));
    }

    @Test
    void theContractsPolicyRecordsAreValidOnTheirTopics() {
        PolicyRule stored = new PolicyRule("*.fabrikam.com", 4, new PolicyRule.Tls(TlsMode.DISABLED, null, null, null, null, null),
                null, null, null, null, AT, "admin");

        ContractSchemas.assertValidRecord(record(Topics.POLICY_CHANGES, "*.fabrikam.com", ContractJson.writeBytes(stored), false));
        // a domain allowed several connections is keyed by its slot (contract.md, "Hot domains")
        String key = OutboundKey.of("fabrikam.com", "j-1", POLICY.limits().maxConnections());
        assertTrue(key.startsWith("fabrikam.com#"), key);
        ContractSchemas.assertValidRecord(mailRecord(Topics.OUTBOUND, key, outboundMetadata(), MESSAGE));
        assertThrows(AssertionError.class, () -> ContractSchemas.assertValidRecord(mailRecord(Topics.OUTBOUND, "fabrikam.com", outboundMetadata(), MESSAGE)));
        assertTrue(ContractJson.write(POLICY).contains("\"expireAfter\":\"P2D\""));
    }

    @Test
    void aMailRecordInTheLegacyJsonFormIsRefusedForProducers() {
        String legacy = outboundMetadata().replace("\"policy\":", "\"content\":\"U3ViamVjdDogaGkNCg0KaGkNCg==\",\"policy\":");
        ContractSchemas.assertValid(Topics.OUTBOUND, legacy); // the schema still describes format 1's value

        AssertionError e = assertThrows(AssertionError.class,
                () -> ContractSchemas.assertValidRecord(record(Topics.OUTBOUND, "fabrikam.com", legacy.getBytes(), false)));
        assertTrue(e.getMessage().contains("wire format 2") && e.getMessage().contains("format 1"), e.getMessage());
    }

    @Test
    void aMailRecordNeedsItsContentTypeMetadataAndMessage() {
        String key = OutboundKey.of("fabrikam.com", "j-1", POLICY.limits().maxConnections());
        var noContentType = mailRecord(Topics.OUTBOUND, key, outboundMetadata(), MESSAGE);
        noContentType.headers().remove(MailRecords.CONTENT_TYPE_HEADER);
        var empty = mailRecord(Topics.OUTBOUND, key, outboundMetadata(), new byte[0]);
        var badMetadata = mailRecord(Topics.OUTBOUND, key, outboundMetadata().replace("\"attempt\":1", "\"attempt\":0"), MESSAGE);
        var otherKey = mailRecord(Topics.OUTBOUND, "contoso.com", outboundMetadata(), MESSAGE);

        assertTrue(assertThrows(AssertionError.class, () -> ContractSchemas.assertValidRecord(noContentType))
                .getMessage().contains("'content-type' header of a mail.outbound record is missing"));
        assertTrue(assertThrows(AssertionError.class, () -> ContractSchemas.assertValidRecord(empty))
                .getMessage().contains("value (the message) is empty"));
        assertTrue(assertThrows(AssertionError.class, () -> ContractSchemas.assertValidRecord(badMetadata))
                .getMessage().contains("$.attempt"));
        assertTrue(assertThrows(AssertionError.class, () -> ContractSchemas.assertValidRecord(otherKey))
                .getMessage().contains("keyed by domain '" + key + "'"));
    }

    @Test
    void submittedSizeBytesIsTheMessagesLength() {
        String metadata = """
                {"messageId":"%s","client":"local","submittedAt":"2026-11-28T10:00:00Z","from":"it@contoso.com",
                 "recipients":["user@fabrikam.com"],"sizeBytes":%d}""";
        ContractSchemas.assertValidRecord(mailRecord(Topics.SUBMITTED, MESSAGE_ID, metadata.formatted(MESSAGE_ID, MESSAGE.length), MESSAGE));

        AssertionError e = assertThrows(AssertionError.class, () -> ContractSchemas.assertValidRecord(
                mailRecord(Topics.SUBMITTED, MESSAGE_ID, metadata.formatted(MESSAGE_ID, MESSAGE.length + 1), MESSAGE)));
        assertTrue(e.getMessage().contains("sizeBytes"), e.getMessage());
    }

    @Test
    void anIncompleteEffectivePolicyIsRefusedOnOutbound() {
        EffectivePolicy incomplete = new EffectivePolicy("fabrikam.com", 3, PolicyRule.Tls.EMPTY, POLICY.auth(),
                POLICY.route(), POLICY.limits(), POLICY.retry());
        String outbound = """
                {"jobId":"j-1","messageId":"%s","domain":"fabrikam.com","from":"it@contoso.com",
                 "recipients":["user@fabrikam.com"],"attempt":1,"submittedAt":"2026-11-28T10:00:00Z",
                 "content":"","policy":%s}""".formatted(MESSAGE_ID, ContractJson.write(incomplete));

        assertTrue(ContractSchemas.violations(Topics.OUTBOUND, outbound).stream()
                .anyMatch(v -> v.startsWith("$.policy.tls.mode: null found, string expected")));
    }
}
