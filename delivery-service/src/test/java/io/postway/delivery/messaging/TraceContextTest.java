package io.postway.delivery.messaging;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.postway.contract.policy.TlsMode;
import io.postway.contract.wire.MailRecords;
import io.postway.delivery.smtp.Peers;
import io.postway.delivery.smtp.Policies;
import io.postway.testkit.LocalInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.postway.testkit.TracingOn;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With tracing on, a job carrying a W3C {@code traceparent} (as the router writes it) is delivered
 * inside that trace: its delivery event, written after the SMTP session on another thread, carries
 * a {@code traceparent} with the job's trace id.
 */
@QuarkusTest
@TestProfile(TracingOn.class)
@QuarkusTestResource(DeliveryTestResource.class)
class TraceContextTest {

    /** The spans stay in memory (the exporter Quarkus takes from CDI), nothing is sent anywhere. */
    @Singleton
    public static class Spans {
        @Produces
        @Singleton
        InMemorySpanExporter exporter() {
            return InMemorySpanExporter.create();
        }
    }

    @Test
    void theEventOfADeliveredJobContinuesTheJobsTrace() throws Exception {
        String bootstrap = LocalInfra.get().kafkaBootstrap;
        String messageId = UUID.randomUUID().toString();
        String rcpt = "traced-" + messageId.substring(0, 8) + "@peer.test";
        OutboundJob job = new OutboundJob(UUID.randomUUID().toString(), messageId, "peer.test", "it@contoso.test", List.of(rcpt), 1,
                Instant.now().truncatedTo(ChronoUnit.MILLIS), ("Subject: traced\r\n\r\nx\r\n").getBytes(StandardCharsets.US_ASCII),
                Policies.policy().mode(TlsMode.OPPORTUNISTIC).port(Peers.port("PLAIN")).build());
        MailRecords.Encoded encoded = MailRecords.write(job);
        RecordHeaders headers = new RecordHeaders();
        encoded.headers().forEach(headers::add);
        headers.add("traceparent", TracingOn.TRACEPARENT.getBytes(StandardCharsets.US_ASCII));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new ByteArraySerializer());
             KafkaConsumer<String, String> events = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                     ConsumerConfig.GROUP_ID_CONFIG, "delivery-trace-reader-" + UUID.randomUUID(),
                     ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            producer.send(new ProducerRecord<>(DeliveryTestResource.OUTBOUND, null, job.domain(), encoded.value(), headers)).get();
            events.subscribe(List.of(DeliveryTestResource.EVENTS));
            String[] traceparent = new String[1];
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (var r : events.poll(Duration.ofMillis(200))) {
                    if (messageId.equals(r.key()) && r.value().contains("postway.delivery.delivered")) {
                        Header h = r.headers().lastHeader("traceparent");
                        traceparent[0] = h == null ? "(none)" : new String(h.value(), StandardCharsets.US_ASCII);
                        return true;
                    }
                }
                return false;
            });
            assertTrue(traceparent[0].startsWith("00-" + TracingOn.TRACE_ID + "-"), "the event continues the job's trace: " + traceparent[0]);
        }
    }
}
