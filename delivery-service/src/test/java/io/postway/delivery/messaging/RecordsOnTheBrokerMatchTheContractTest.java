package io.postway.delivery.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import io.postway.contract.Topics;
import io.postway.contract.json.ContractJson;
import io.postway.contract.wire.MailRecords;
import io.postway.delivery.smtp.Peers;
import io.postway.delivery.smtp.Policies;
import io.postway.testkit.ContractSchemas;
import io.postway.testkit.LocalInfra;
import io.postway.testkit.TopicRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What delivery really wrote on the broker, read back from the topics as any consumer would, checked
 * against the contract (deploy/docs/contract.md): every delivered, deferred and bounced event and
 * every mail.deferred record is valid against its topic's JSON Schema and keyed as the topic
 * promises, and each event is read by the CloudEvents SDK from its structured-mode record.
 */
@QuarkusTest
@QuarkusTestResource(DeliveryTestResource.class)
class RecordsOnTheBrokerMatchTheContractTest {

    @Test
    void everyEventAndDeferralDeliveryWroteIsValidAgainstTheContract() throws Exception {
        String bootstrap = LocalInfra.get().kafkaBootstrap;
        String ok = "schema-" + UUID.randomUUID().toString().substring(0, 8) + "@peer.test";
        String old = "schema-old-" + UUID.randomUUID().toString().substring(0, 8) + "@tls10.peer.test";
        String mixed;
        String handshake;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new ByteArraySerializer())) {
            // delivered over TLS, bounced at RCPT and deferred at RCPT, in one job
            mixed = send(producer, "peer.test", List.of(ok, "reject550@peer.test", "defer451@peer.test"),
                    Policies.policy().port(Peers.port("STARTTLS")));
            // deferred at the TLS handshake (the seed's TLS 1.0 server under REQUIRED TLS 1.2+)
            handshake = send(producer, "tls10.peer.test", List.of(old), Policies.policy().port(Peers.port("TLS10")));
        }
        Set<String> ids = Set.of(mixed, handshake);
        await().atMost(Duration.ofSeconds(60)).until(() -> records(bootstrap, DeliveryTestResource.EVENTS, ids).size() == 4
                && records(bootstrap, DeliveryTestResource.DEFERRED, ids).size() == 2);

        List<ConsumerRecord<String, byte[]>> events = records(bootstrap, DeliveryTestResource.EVENTS, ids);
        assertEquals(Map.of("postway.delivery.delivered", 1L, "postway.delivery.bounced", 1L, "postway.delivery.deferred", 2L),
                events.stream().collect(Collectors.groupingBy(r -> read(r).path("type").asText(), Collectors.counting())));
        for (ConsumerRecord<String, byte[]> record : events) {
            // the private test topic carries mail.delivery-events' records
            ContractSchemas.assertValidRecord(Topics.DELIVERY_EVENTS, record);
            CloudEvent event = ContractSchemas.readAsCloudEvent(record);
            assertEquals("/postway/delivery-service/test-" + DeliveryTestResource.RUN, event.getSource().toString());
            assertEquals("application/json", event.getDataContentType());
            assertEquals(read(record).path("data").path("recipient").asText(), event.getSubject());
        }
        List<ConsumerRecord<String, byte[]>> deferrals = records(bootstrap, DeliveryTestResource.DEFERRED, ids);
        for (ConsumerRecord<String, byte[]> record : deferrals) {
            ContractSchemas.assertValidRecord(Topics.DEFERRED, record);
        }
        assertEquals(Set.of(List.of("defer451@peer.test"), List.of(old)), deferrals.stream()
                .map(r -> ContractJson.read(r.value(), DeferredRecord.class).recipients()).collect(Collectors.toSet()));
    }

    private static String send(KafkaProducer<String, byte[]> producer, String domain, List<String> rcpts, Policies policy)
            throws Exception {
        String messageId = UUID.randomUUID().toString();
        byte[] content = ("From: it@contoso.test\r\nTo: " + rcpts.get(0) + "\r\nSubject: schema " + messageId
                + "\r\n\r\nHello.\r\n").getBytes(StandardCharsets.UTF_8);
        OutboundJob job = new OutboundJob(UUID.randomUUID().toString(), messageId, domain, "it@contoso.test", rcpts, 1,
                Instant.now().truncatedTo(ChronoUnit.MILLIS), content, policy.build());
        // as the router writes it: wire format 2
        MailRecords.Encoded encoded = MailRecords.write(job);
        RecordHeaders headers = new RecordHeaders();
        encoded.headers().forEach(headers::add);
        producer.send(new ProducerRecord<>(DeliveryTestResource.OUTBOUND, null, domain, encoded.value(), headers)).get();
        return messageId;
    }

    private static List<ConsumerRecord<String, byte[]>> records(String bootstrap, String topic, Set<String> messageIds) {
        return TopicRecords.readAll(bootstrap, topic).stream().filter(r -> messageIds.contains(r.key())).toList();
    }

    private static JsonNode read(ConsumerRecord<String, byte[]> record) {
        try {
            return ContractJson.MAPPER.readTree(record.value());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + record, e);
        }
    }
}
