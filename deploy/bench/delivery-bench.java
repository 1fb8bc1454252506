import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka side of deploy/bench/delivery-bench (compiled by it with javac; no build tool needed).
 *
 * <pre>
 * create-topics BOOTSTRAP OUTBOUND EVENTS DEFERRED     private topics for an isolated run
 * delete-topics BOOTSTRAP TOPIC...
 * run BOOTSTRAP OUTBOUND EVENTS SINK_PORT N DOMAIN MAX_CONN MSGS_PER_CONN TIMEOUT_S WARMUP [LENGTH [KEYING [WIRE_FORMAT]]]
 * </pre>
 *
 * LENGTH is the message size (default 5120). KEYING {@code domain} (default) keys every job by its
 * domain; {@code slots} keys it as the router does for a hot domain ({@code domain#slot/slots},
 * deploy/docs/contract.md), so that several delivery instances share the domain. With
 * {@code -Dbench.pids=name:pid,...} it prints the CPU milliseconds each process spent during the
 * timed part (from /proc/PID/stat), {@code cpu_ms_NAME=}.
 *
 * WIRE_FORMAT (deploy/docs/contract.md, "Mail records on the wire"): 2 (default, what the router
 * writes) = the message as the record value, the job's JSON without content in header
 * postway-metadata, headers postway-format: 2 and content-type: message/rfc822; 1 = the older JSON
 * value with the message in base64 (still read by delivery), for a comparison in the same session.
 *
 * {@code run} watches EVENTS from its end, produces WARMUP jobs (domain warm-DOMAIN) and waits for
 * them, then produces N mail.outbound jobs for DOMAIN (policy TLS DISABLED, smart host = the sink)
 * and times from the first send until N outcomes for DOMAIN were seen. Prints key=value lines.
 */
class DeliveryBench {
    private static final Pattern TYPE = Pattern.compile("\"type\"\\s*:\\s*\"([^\"]+)\"");

    public static void main(String[] a) throws Exception {
        switch (a[0]) {
            case "create-topics" -> createTopics(a[1], a[2], a[3], a[4]);
            case "delete-topics" -> deleteTopics(a[1], List.of(a).subList(2, a.length));
            case "run" -> System.exit(run(a[1], a[2], a[3], Integer.parseInt(a[4]), Integer.parseInt(a[5]), a[6],
                    Integer.parseInt(a[7]), Integer.parseInt(a[8]), Integer.parseInt(a[9]), Integer.parseInt(a[10]),
                    a.length > 11 ? Integer.parseInt(a[11]) : 5120, a.length > 12 ? a[12] : "domain",
                    a.length > 13 ? Integer.parseInt(a[13]) : 2));
            default -> throw new IllegalArgumentException(a[0]);
        }
    }

    static void createTopics(String bootstrap, String outbound, String events, String deferred) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Map<String, String> cfg = Map.of("max.message.bytes", "20971520");
            for (NewTopic t : List.of(new NewTopic(outbound, 6, (short) 1).configs(cfg),
                    new NewTopic(events, 3, (short) 1).configs(cfg), new NewTopic(deferred, 3, (short) 1).configs(cfg))) {
                try {
                    admin.createTopics(List.of(t)).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) throw e;
                }
            }
        }
    }

    static void deleteTopics(String bootstrap, List<String> topics) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.deleteTopics(topics).all().get();
        }
    }

    static int run(String bootstrap, String outbound, String events, int sinkPort, int n, String domain,
                   int maxConn, int perConn, int timeoutS, int warmup, int length, String keying, int wireFormat) throws Exception {
        Properties pp = new Properties();
        pp.put("bootstrap.servers", bootstrap);
        pp.put("acks", "all");
        pp.put("linger.ms", "5");
        pp.put("batch.size", "262144");
        pp.put("max.request.size", "20971520");
        pp.put("compression.type", "none");
        Properties cp = new Properties();
        cp.put("bootstrap.servers", bootstrap);
        cp.put("enable.auto.commit", "false");
        cp.put("max.partition.fetch.bytes", "20971520");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(pp, new StringSerializer(), new ByteArraySerializer());
             KafkaConsumer<String, String> consumer = new KafkaConsumer<>(cp, new StringDeserializer(), new StringDeserializer())) {
            // No group: assign every partition at its current end, so only events of this run count.
            List<TopicPartition> parts = new ArrayList<>();
            consumer.partitionsFor(events).forEach(p -> parts.add(new TopicPartition(events, p.partition())));
            consumer.assign(parts);
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position);

            byte[] content = message(domain, length);
            boolean slots = keying.equals("slots");
            System.out.println("wire_format=" + wireFormat);
            if (warmup > 0) {
                String wd = "warm-" + domain;
                long w0 = System.nanoTime();
                produce(producer, outbound, warmup, wd, content, sinkPort, maxConn, perConn, slots, wireFormat);
                Tally w = await(consumer, wd, warmup, w0, Math.max(60, timeoutS / 2));
                System.out.printf("warmup_jobs=%d warmup_outcomes=%d warmup_delivered=%d warmup_seconds=%.2f%n",
                        warmup, w.outcomes(), w.delivered.size(), (System.nanoTime() - w0) / 1e9);
                if (w.delivered.size() < warmup) {
                    System.out.println("error=warm-up jobs were not all delivered (see the service log)");
                    System.out.println("sample_event=" + w.sample);
                    return 2;
                }
            }
            Map<String, Long> cpu0 = BenchCpu.ticks();
            long t0 = System.nanoTime();
            produce(producer, outbound, n, domain, content, sinkPort, maxConn, perConn, slots, wireFormat);
            long produced = System.nanoTime();
            Tally t = await(consumer, domain, n, t0, timeoutS);
            double secs = (t.lastAt - t0) / 1e9;
            BenchCpu.print(cpu0, BenchCpu.ticks());
            System.out.printf("jobs=%d delivered=%d deferred=%d bounced=%d other=%d%n",
                    n, t.delivered.size(), t.deferred.size(), t.bounced.size(), t.other);
            System.out.printf("produce_seconds=%.3f%n", (produced - t0) / 1e9);
            System.out.printf("seconds=%.3f%n", secs);
            System.out.printf("msgs_per_s=%.1f%n", t.delivered.size() / secs);
            if (t.delivered.size() < n) {
                System.out.println("error=" + (t.outcomes() < n ? "timed out after " + timeoutS + " s" : "not every job was delivered"));
                System.out.println("sample_event=" + t.sample);
                return 1;
            }
            return 0;
        }
    }

    static final class Tally {
        final Set<String> delivered = new HashSet<>(), deferred = new HashSet<>(), bounced = new HashSet<>();
        int other;
        long lastAt;
        String sample = "";

        int outcomes() { return delivered.size() + deferred.size() + bounced.size(); }
    }

    static Tally await(KafkaConsumer<String, String> consumer, String domain, int n, long t0, int timeoutS) {
        Tally t = new Tally();
        t.lastAt = System.nanoTime();
        long deadline = t0 + timeoutS * 1_000_000_000L;
        String needle = "@" + domain + "\"";
        while (t.outcomes() < n && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> r : consumer.poll(java.time.Duration.ofMillis(100))) {
                String v = r.value();
                if (v == null || !v.contains(needle)) continue;
                Matcher m = TYPE.matcher(v);
                String type = m.find() ? m.group(1) : "";
                String id = r.key() == null ? v : r.key();
                switch (type) {
                    case "postway.delivery.delivered" -> t.delivered.add(id);
                    case "postway.delivery.deferred" -> { t.deferred.add(id); t.sample = v; }
                    case "postway.delivery.bounced", "postway.delivery.expired" -> { t.bounced.add(id); t.sample = v; }
                    default -> t.other++;
                }
                t.lastAt = System.nanoTime();
            }
        }
        return t;
    }

    static void produce(KafkaProducer<String, byte[]> producer, String topic, int n, String domain, byte[] content,
                        int sinkPort, int maxConn, int perConn, boolean slots, int wireFormat) throws Exception {
        String now = Instant.now().toString();
        String policy = """
                {"rule":"default","version":1,\
                "tls":{"mode":"DISABLED","verify":"NONE","minVersion":"TLSv1.2","maxVersion":"TLSv1.3","fallbackToPlaintext":false,"implicit":false},\
                "auth":{"method":"NONE","username":null,"passwordEncrypted":null},\
                "route":{"smartHost":"127.0.0.1","port":%d},\
                "limits":{"maxConnections":%d,"messagesPerConnection":%d},\
                "retry":{"intervals":["PT15M","PT30M","PT1H","PT4H"],"expireAfter":"P2D"}}""".formatted(sinkPort, maxConn, perConn);
        String base64 = Base64.getEncoder().encodeToString(content);
        for (int i = 0; i < n; i++) {
            String jobId = UUID.randomUUID().toString();
            // as the router keys a job (contract.md, mail.outbound): slot from the job id, slots = min(maxConnections, 8)
            int n8 = Math.min(maxConn, 8);
            String key = slots ? domain + "#" + Math.floorMod(jobId.hashCode(), n8) + "/" + n8 : domain;
            String metadata = """
                    {"jobId":"%s","messageId":"%s","domain":"%s","from":"bench@postway.test","recipients":["r%d@%s"],\
                    "attempt":1,"submittedAt":"%s",%s"policy":%s}""";
            if (wireFormat == 2) {
                RecordHeaders headers = new RecordHeaders();
                headers.add("postway-format", "2".getBytes(StandardCharsets.UTF_8));
                headers.add("content-type", "message/rfc822".getBytes(StandardCharsets.UTF_8));
                headers.add("postway-metadata", metadata.formatted(jobId, UUID.randomUUID(), domain, i, domain, now,
                        "", policy).getBytes(StandardCharsets.UTF_8));
                producer.send(new ProducerRecord<>(topic, null, key, content, headers));
            } else {
                String job = metadata.formatted(jobId, UUID.randomUUID(), domain, i, domain, now,
                        "\"content\":\"" + base64 + "\",", policy);
                producer.send(new ProducerRecord<>(topic, key, job.getBytes(StandardCharsets.UTF_8)));
            }
        }
        producer.flush();
    }

    /** A LENGTH-byte RFC 5322 message with CRLF line endings, like smtp-source -l LENGTH. */
    static byte[] message(String domain, int length) {
        StringBuilder sb = new StringBuilder()
                .append("From: <bench@postway.test>\r\n")
                .append("To: <bench@").append(domain).append(">\r\n")
                .append("Subject: Postway delivery benchmark\r\n")
                .append("Message-ID: <").append(UUID.randomUUID()).append("@postway.test>\r\n")
                .append("Date: Sat, 28 Nov 2026 10:00:00 +0000\r\n")
                .append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n");
        String line = "La de da de da. The quick brown fox jumps over the lazy dog 0123456789.";
        while (sb.length() < length - line.length() - 2) sb.append(line).append("\r\n");
        while (sb.length() < length - 2) sb.append('x');
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
