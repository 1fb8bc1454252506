// policy-service's TLS-RPT reader under load: produces delivery events as an e2e run writes them
// (per message one accepted event of intake and one delivered event of delivery, with a full SMTP
// transcript and MTA-STS/DANE objects) to the topic a running policy-service reads, waits until its
// group has committed everything, and prints the service's CPU (from /proc/<pid>/stat) per message.
//
// java -cp "$(kafka-clients + slf4j jars)" tls-reports-bench.java BOOTSTRAP TOPIC GROUP PID MESSAGES
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

public class TlsReportsBench {

    static final String TRANSCRIPT = String.join(",", java.util.stream.Stream.of(
            "connected to mx.fabrikam.test 127.0.0.1:10025", "S: 220 mx.fabrikam.test ESMTP Postfix", "C: EHLO relay.contoso.test",
            "S: 250-mx.fabrikam.test", "S: 250-PIPELINING", "S: 250-SIZE 10240000", "S: 250-VRFY", "S: 250-ETRN", "S: 250-STARTTLS",
            "S: 250-ENHANCEDSTATUSCODES", "S: 250-8BITMIME", "S: 250-DSN", "S: 250-SMTPUTF8", "S: 250 CHUNKING", "C: STARTTLS",
            "S: 220 2.0.0 Ready to start TLS", "TLS handshake", "TLS TLSv1.3 TLS_AES_256_GCM_SHA384, certificate CN=mx.fabrikam.test verified",
            "C: EHLO relay.contoso.test", "S: 250-mx.fabrikam.test", "S: 250-PIPELINING", "S: 250-SIZE 10240000", "S: 250-VRFY",
            "S: 250-ETRN", "S: 250-ENHANCEDSTATUSCODES", "S: 250-8BITMIME", "S: 250-DSN", "S: 250-SMTPUTF8", "S: 250 CHUNKING",
            "C: MAIL FROM:<sender@contoso.test> SIZE=5321", "S: 250 2.1.0 Ok", "C: RCPT TO:<user@fabrikam.test>", "S: 250 2.1.5 Ok",
            "C: DATA", "S: 354 End data with <CR><LF>.<CR><LF>", "message sent (5321 bytes)", "C: .",
            "S: 250 2.0.0 Ok: queued as 4XyZ1k2Q3Rz9").map(l -> "\"" + l + "\"").toList());

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0], topic = args[1], group = args[2];
        long pid = Long.parseLong(args[3]);
        int messages = Integer.parseInt(args[4]);
        Map<String, Object> p = Map.of("bootstrap.servers", bootstrap, "acks", "all", "linger.ms", 5,
                "key.serializer", StringSerializer.class.getName(), "value.serializer", StringSerializer.class.getName());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            if (!admin.listTopics().names().get().contains(topic)) {
                admin.createTopics(java.util.List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 3, (short) 1))).all().get();
            }
        }
        long cpuBefore = cpuTicks(pid);
        long t0 = System.nanoTime();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < messages; i++) {
                String id = UUID.randomUUID().toString();
                Instant at = Instant.now();
                producer.send(new ProducerRecord<>(topic, id, accepted(id, at)));
                producer.send(new ProducerRecord<>(topic, id, delivered(id, at)));
            }
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            while (lag(admin, topic, group) > 0) {
                Thread.sleep(100);
            }
        }
        long cpu = cpuTicks(pid) - cpuBefore;
        double seconds = (System.nanoTime() - t0) / 1e9;
        // clock ticks are 10 ms (USER_HZ 100)
        System.out.printf("messages=%d events=%d wall=%.1fs cpu=%.2fs cpu/msg=%.3f ms%n", messages, 2 * messages, seconds,
                cpu / 100.0, cpu * 10.0 / messages);
    }

    static long lag(Admin admin, String topic, String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get().get(topic)
                .partitions().stream().collect(Collectors.toMap(i -> new TopicPartition(topic, i.partition()), i -> OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end = admin.listOffsets(latest).all().get();
        long lag = 0;
        for (var e : end.entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            lag += e.getValue().offset() - (c == null ? 0 : c.offset());
        }
        return lag;
    }

    static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    static String accepted(String id, Instant at) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"source\":\"/postway/intake-service/intake-1\","
                + "\"type\":\"postway.message.accepted\",\"time\":\"" + at + "\",\"subject\":\"user@fabrikam.test\","
                + "\"datacontenttype\":\"application/json\",\"data\":{\"messageId\":\"" + id + "\",\"recipient\":\"user@fabrikam.test\","
                + "\"domain\":\"fabrikam.test\",\"status\":\"ACCEPTED\",\"attempt\":0,"
                + "\"smtp\":{\"code\":null,\"enhancedCode\":null,\"text\":null,\"stage\":null},"
                + "\"remote\":{\"host\":null,\"ip\":null,\"port\":null,\"via\":null},"
                + "\"tls\":{\"used\":false,\"protocol\":null,\"cipher\":null,\"verified\":null,\"peerSubject\":null,\"peerIssuer\":null,"
                + "\"peerNotAfter\":null,\"fellBackToPlaintext\":false},\"policy\":null,\"diagnosis\":\"Accepted for delivery.\","
                + "\"failureType\":null,\"nextAttemptAt\":null,\"submittedAt\":\"" + at + "\",\"at\":\"" + at + "\",\"transcript\":[],"
                + "\"mtaSts\":{\"status\":\"NOT_CHECKED\",\"policyId\":null,\"policy\":null,\"mxPatterns\":[],\"failure\":null,\"reason\":null},"
                + "\"dane\":{\"status\":\"NOT_CHECKED\",\"tlsaName\":null,\"records\":[],\"failure\":null},\"client\":\"bench\"}}";
    }

    static String delivered(String id, Instant at) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"source\":\"/postway/delivery-service/delivery-1\","
                + "\"type\":\"postway.delivery.delivered\",\"time\":\"" + at + "\",\"subject\":\"user@fabrikam.test\","
                + "\"datacontenttype\":\"application/json\",\"data\":{\"messageId\":\"" + id + "\",\"recipient\":\"user@fabrikam.test\","
                + "\"domain\":\"fabrikam.test\",\"status\":\"DELIVERED\",\"attempt\":1,"
                + "\"smtp\":{\"code\":250,\"enhancedCode\":\"2.0.0\",\"text\":\"Ok: queued as 4XyZ1k2Q3Rz9\",\"stage\":\"DONE\"},"
                + "\"remote\":{\"host\":\"mx.fabrikam.test\",\"ip\":\"127.0.0.1\",\"port\":10025,\"via\":\"MX\"},"
                + "\"tls\":{\"used\":true,\"protocol\":\"TLSv1.3\",\"cipher\":\"TLS_AES_256_GCM_SHA384\",\"verified\":true,"
                + "\"peerSubject\":\"CN=mx.fabrikam.test\",\"peerIssuer\":\"CN=Postway Test CA\",\"peerNotAfter\":\"2036-11-28T10:00:00Z\","
                + "\"fellBackToPlaintext\":false},\"policy\":{\"rule\":\"default\",\"version\":1,\"tlsMode\":\"REQUIRED\",\"verify\":\"FULL\","
                + "\"minVersion\":\"TLSv1.2\",\"maxVersion\":\"TLSv1.3\"},\"diagnosis\":\"Delivered to mx.fabrikam.test (250 2.0.0 Ok).\","
                + "\"failureType\":null,\"nextAttemptAt\":null,\"submittedAt\":\"" + at + "\",\"at\":\"" + at + "\",\"transcript\":[" + TRANSCRIPT + "],"
                + "\"mtaSts\":{\"status\":\"NOT_PUBLISHED\",\"policyId\":null,\"policy\":null,\"mxPatterns\":[],\"failure\":null,"
                + "\"reason\":\"fabrikam.test publishes no _mta-sts TXT record\"},"
                + "\"dane\":{\"status\":\"NO_RECORDS\",\"tlsaName\":\"_25._tcp.mx.fabrikam.test\",\"records\":[],\"failure\":null}}}";
    }
}
