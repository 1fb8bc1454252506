package io.postway.delivery.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.postway.contract.policy.TlsMode;
import io.postway.delivery.messaging.OutboundJob;
import io.postway.delivery.smtp.Policies;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * End to end through Kafka: {@code KafkaThroughput create <suffix>} makes private topics;
 * {@code KafkaThroughput run <suffix> <sink host:port> <jobs>} produces jobs (5 KB, one recipient,
 * TLS disabled, smart host = the sink) and waits for as many delivered events from a running
 * delivery-service started with MP_MESSAGING_*_TOPIC pointing at those topics.
 */
public final class KafkaThroughput {

    public static void main(String[] args) throws Exception {
        String bootstrap = System.getenv().getOrDefault("POSTWAY_KAFKA_BOOTSTRAP", "127.0.0.1:9092");
        String suffix = args[1];
        String out = "mail.outbound.bench-" + suffix, events = "mail.delivery-events.bench-" + suffix;
        if (args[0].equals("create")) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(List.of(new NewTopic(out, 4, (short) 1), new NewTopic(events, 1, (short) 1),
                        new NewTopic("mail.deferred.bench-" + suffix, 1, (short) 1))).all().get();
            }
            return;
        }
        String sink = args[2];
        int n = Integer.parseInt(args[3]);
        ObjectMapper json = new ObjectMapper().findAndRegisterModules().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
        StringBuilder body = new StringBuilder("From: bench@contoso.test\r\nTo: sink@sink.test\r\nSubject: bench\r\n\r\n");
        while (body.length() < 5120) {
            body.append("0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz\r\n");
        }
        byte[] content = body.toString().getBytes(StandardCharsets.US_ASCII);
        var policy = Policies.policy().mode(TlsMode.DISABLED).smartHost(sink).limits(20, 1_000_000).build();
        String run = UUID.randomUUID().toString().substring(0, 6);
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap, "group.id", "bench-" + run,
                "auto.offset.reset", "latest"), new StringDeserializer(), new StringDeserializer());
             KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "linger.ms", 20, "batch.size", 1048576,
                     "max.request.size", 20971520), new StringSerializer(), new ByteArraySerializer())) {
            c.subscribe(List.of(events));
            while (c.assignment().isEmpty()) {
                c.poll(Duration.ofMillis(100));
            }
            // resolve "latest" now, before any job exists, so no event of this run is skipped
            c.seekToEnd(c.assignment());
            c.assignment().forEach(c::position);
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                OutboundJob job = new OutboundJob("j" + i, run + "-" + i, "sink.test", "bench@contoso.test", List.of("r" + i + "@sink.test"),
                        1, Instant.now(), content, policy);
                // as the router writes it: wire format 2
                io.postway.contract.wire.MailRecords.Encoded encoded = io.postway.contract.wire.MailRecords.write(job);
                var headers = new org.apache.kafka.common.header.internals.RecordHeaders();
                encoded.headers().forEach(headers::add);
                p.send(new ProducerRecord<>(out, null, "sink.test" + (i % 8), encoded.value(), headers));
            }
            p.flush();
            long produced = System.nanoTime();
            int delivered = 0, other = 0;
            Instant first = null, last = null;
            while (delivered + other < n && (System.nanoTime() - t0) < 300_000_000_000L) {
                for (var rec : c.poll(Duration.ofMillis(200))) {
                    if (rec.value().contains("\"messageId\":\"" + run + "-")) {
                        if (rec.value().contains("\"status\":\"DELIVERED\"")) {
                            delivered++;
                            Instant at = Instant.parse(json.readTree(rec.value()).at("/data/at").asText());
                            first = first == null || at.isBefore(first) ? at : first;
                            last = last == null || at.isAfter(last) ? at : last;
                        } else {
                            other++;
                        }
                    }
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("end to end: %d jobs produced in %.2f s, %d delivered + %d other events after %.2f s = %.0f msg/s%n",
                    n, (produced - t0) / 1e9, delivered, other, secs, delivered / secs);
            if (first != null && last.isAfter(first)) {
                double span = Duration.between(first, last).toMillis() / 1000.0;
                System.out.printf("service side: first to last delivered event %.2f s = %.0f msg/s%n", span, delivered / span);
            }
        }
    }
}
