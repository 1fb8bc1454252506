import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka side of deploy/bench/router-bench (compiled by it with javac against the broker's jars).
 *
 * <pre>
 * setup BOOTSTRAP PREFIX          private topics PREFIX.{submitted,outbound,deferred,events,policy} + the default rule
 * produce BOOTSTRAP TOPIC N SIZE FORMAT TAG   N mail.submitted records of SIZE bytes, one recipient each,
 *                                 in wire format 2 (raw value, metadata header) or 1 (JSON, base64 content)
 * await BOOTSTRAP TOPIC COUNT TIMEOUT_S   returns once the topic's end offsets add up to COUNT
 * bytes BOOTSTRAP TOPIC           records, value bytes and header bytes on the topic
 * delete BOOTSTRAP PREFIX
 * </pre>
 */
class RouterBench {

    static final String DEFAULT_RULE = """
            {"rule":"default","version":1,\
            "tls":{"mode":"DISABLED","verify":"NONE","minVersion":"TLSv1.2","maxVersion":"TLSv1.3","fallbackToPlaintext":false,"implicit":false},\
            "auth":{"method":"NONE","username":null,"passwordEncrypted":null},"route":{"smartHost":null,"port":25},\
            "limits":{"maxConnections":20,"messagesPerConnection":100},\
            "retry":{"intervals":["PT15M","PT30M","PT1H","PT4H"],"expireAfter":"P2D"},\
            "updatedAt":"2026-12-01T10:00:00Z","updatedBy":"bench"}""";

    public static void main(String[] a) throws Exception {
        switch (a[0]) {
            case "setup" -> setup(a[1], a[2]);
            case "produce" -> produce(a[1], a[2], Integer.parseInt(a[3]), Integer.parseInt(a[4]), Integer.parseInt(a[5]), a[6]);
            case "await" -> System.exit(await(a[1], a[2], Long.parseLong(a[3]), Integer.parseInt(a[4])));
            case "bytes" -> bytes(a[1], a[2]);
            case "delete" -> delete(a[1], a[2]);
            default -> throw new IllegalArgumentException(a[0]);
        }
    }

    static List<String> topics(String prefix) {
        return List.of(prefix + ".submitted", prefix + ".outbound", prefix + ".deferred", prefix + ".events", prefix + ".policy");
    }

    static void setup(String bootstrap, String prefix) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Map<String, String> cfg = Map.of("max.message.bytes", "20971520");
            for (String t : topics(prefix)) {
                int partitions = t.endsWith(".outbound") ? 6 : t.endsWith(".policy") ? 1 : 3;
                try {
                    admin.createTopics(List.of(new NewTopic(t, partitions, (short) 1).configs(cfg))).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) throw e;
                }
            }
        }
        try (KafkaProducer<String, byte[]> p = producer(bootstrap)) {
            p.send(new ProducerRecord<>(prefix + ".policy", "default", DEFAULT_RULE.getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "acks", "all", "linger.ms", 5,
                "batch.size", 262144, "max.request.size", 20971520), new StringSerializer(), new ByteArraySerializer());
    }

    /** A SIZE-byte RFC 5322 message with CRLF line endings, like smtp-source -l SIZE. */
    static byte[] message(int size, String to) {
        StringBuilder sb = new StringBuilder().append("From: <bench@postway.test>\r\nTo: <").append(to)
                .append(">\r\nSubject: Postway router benchmark\r\nMessage-ID: <").append(UUID.randomUUID()).append("@postway.test>\r\n\r\n");
        while (sb.length() < size - 80) {
            sb.append("0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz012345\r\n");
        }
        while (sb.length() < size - 2) {
            sb.append('x');
        }
        return sb.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    static void produce(String bootstrap, String topic, int n, int size, int format, String tag) throws Exception {
        String now = Instant.now().toString();
        List<Future<?>> acks = new ArrayList<>();
        try (KafkaProducer<String, byte[]> p = producer(bootstrap)) {
            for (int i = 0; i < n; i++) {
                String id = tag + "-" + i + "-" + UUID.randomUUID();
                String rcpt = "r" + i + "@" + tag + ".bench.example";
                byte[] content = message(size, rcpt);
                String metadata = """
                        {"messageId":"%s","client":"bench","submittedAt":"%s","from":"bench@postway.test",\
                        "recipients":["%s"],"sizeBytes":%d%s}""";
                if (format == 2) {
                    RecordHeaders h = new RecordHeaders();
                    h.add("postway-format", "2".getBytes(StandardCharsets.UTF_8));
                    h.add("content-type", "message/rfc822".getBytes(StandardCharsets.UTF_8));
                    h.add("postway-metadata", metadata.formatted(id, now, rcpt, content.length, "").getBytes(StandardCharsets.UTF_8));
                    acks.add(p.send(new ProducerRecord<>(topic, null, id, content, h)));
                } else {
                    String json = metadata.formatted(id, now, rcpt, content.length,
                            ",\"content\":\"" + Base64.getEncoder().encodeToString(content) + "\"");
                    acks.add(p.send(new ProducerRecord<>(topic, id, json.getBytes(StandardCharsets.UTF_8))));
                }
            }
            p.flush();
            for (Future<?> f : acks) {
                f.get();
            }
        }
    }

    static long endOffsets(KafkaConsumer<?, ?> c, String topic) {
        List<TopicPartition> parts = new ArrayList<>();
        c.partitionsFor(topic).forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
        return c.endOffsets(parts).values().stream().mapToLong(Long::longValue).sum();
    }

    static KafkaConsumer<String, byte[]> consumer(String bootstrap) {
        return new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap, "enable.auto.commit", "false",
                "max.partition.fetch.bytes", 20971520), new org.apache.kafka.common.serialization.StringDeserializer(),
                new ByteArrayDeserializer());
    }

    static int await(String bootstrap, String topic, long count, int timeoutS) throws Exception {
        long deadline = System.nanoTime() + timeoutS * 1_000_000_000L;
        try (KafkaConsumer<String, byte[]> c = consumer(bootstrap)) {
            while (System.nanoTime() < deadline) {
                long end = endOffsets(c, topic);
                if (end >= count) {
                    System.out.println("reached=" + end);
                    return 0;
                }
                Thread.sleep(20);
            }
            System.out.println("reached=" + endOffsets(c, topic) + " timeout");
            return 1;
        }
    }

    static void bytes(String bootstrap, String topic) {
        try (KafkaConsumer<String, byte[]> c = consumer(bootstrap)) {
            List<TopicPartition> parts = new ArrayList<>();
            c.partitionsFor(topic).forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
            c.assign(parts);
            c.seekToBeginning(parts);
            long end = c.endOffsets(parts).values().stream().mapToLong(Long::longValue).sum();
            long records = 0, value = 0, headers = 0;
            while (records < end) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    records++;
                    value += r.serializedValueSize();
                    for (Header h : r.headers()) {
                        headers += h.key().length() + (h.value() == null ? 0 : h.value().length);
                    }
                }
            }
            System.out.printf("topic=%s records=%d value_bytes=%d header_bytes=%d bytes_per_record=%.0f%n", topic, records, value,
                    headers, records == 0 ? 0.0 : (value + headers) / (double) records);
        }
    }

    static void delete(String bootstrap, String prefix) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.deleteTopics(topics(prefix)).all().get();
        }
    }
}
