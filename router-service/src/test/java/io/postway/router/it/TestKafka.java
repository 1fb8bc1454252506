package io.postway.router.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.postway.contract.json.ContractJson;
import io.postway.contract.wire.MailRecords;
import io.postway.testkit.LocalInfra;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Writes test records and watches the shared output topics from the moment it starts, keeping
 * only this run's records (message ids carry the run id): other engineers' tests write there too.
 */
final class TestKafka {

    /**
     * A record of this run as the broker holds it: {@code value} is its JSON (on mail.outbound the
     * metadata header of wire format 2), {@code bytes} the record value, headers too, for contract checks.
     */
    record Seen(String topic, String key, JsonNode value, byte[] bytes, Map<String, String> headers) {
    }

    /** The domain of a job, from its record's value. */
    static String domainOf(Seen job) {
        return job.value().path("domain").asText();
    }

    private static TestKafka instance;

    private final KafkaProducer<String, byte[]> producer;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private volatile boolean positioned;

    private TestKafka() {
        String bootstrap = LocalInfra.get().kafkaBootstrap;
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
        Thread t = new Thread(() -> watch(bootstrap), "test-watcher");
        t.setDaemon(true);
        t.start();
    }

    static synchronized TestKafka get() {
        if (instance == null) {
            instance = new TestKafka();
            long until = System.currentTimeMillis() + 30_000;
            while (!instance.positioned && System.currentTimeMillis() < until) {
                Thread.onSpinWait();
            }
            if (!instance.positioned) {
                throw new IllegalStateException("test watcher did not start");
            }
        }
        return instance;
    }

    private void watch(String bootstrap) {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 20971520), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new java.util.ArrayList<>();
            for (String topic : List.of("mail.outbound", "mail.delivery-events")) {
                c.partitionsFor(topic, Duration.ofSeconds(30)).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            c.assign(partitions);
            c.seekToEnd(partitions);
            partitions.forEach(c::position);
            positioned = true;
            String marker = "rt-" + RouterTestResource.RUN;
            while (true) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    Map<String, String> headers = new java.util.LinkedHashMap<>();
                    r.headers().forEach(h -> headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
                    // wire format 2 (mail.outbound): the JSON is the metadata header, the value the message
                    String json = headers.containsKey(MailRecords.METADATA_HEADER) ? headers.get(MailRecords.METADATA_HEADER)
                            : r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8);
                    if (json.contains(marker)) {
                        seen.add(new Seen(r.topic(), r.key(), ContractJson.MAPPER.readTree(json), r.value(), headers));
                    }
                }
            }
        } catch (Exception e) {
            e.printStackTrace();
        }
    }

    void send(String topic, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, utf8(value))).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write to " + topic, e);
        }
    }

    /** A mail record in wire format 2: its headers and raw value. */
    void sendMail(String topic, String key, MailRecords.Encoded mail) {
        try {
            producer.send(mailRecord(topic, key, mail)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write to " + topic, e);
        }
    }

    /** Writes a mail record (wire format 2) to one partition; returns the record's offset. */
    long sendTo(String topic, int partition, String key, MailRecords.Encoded mail) {
        RecordHeaders headers = new RecordHeaders();
        mail.headers().forEach(headers::add);
        try {
            return producer.send(new ProducerRecord<>(topic, partition, key, mail.value(), headers)).get(30, TimeUnit.SECONDS).offset();
        } catch (Exception e) {
            throw new IllegalStateException("cannot write to " + topic, e);
        }
    }

    /** The offset a consumer group committed for a partition, -1 when none. */
    static long committed(String group, String topic, int partition) {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, LocalInfra.get().kafkaBootstrap))) {
            org.apache.kafka.clients.consumer.OffsetAndMetadata o = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS).get(new TopicPartition(topic, partition));
            return o == null ? -1 : o.offset();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the offsets of " + group, e);
        }
    }

    private static byte[] utf8(String value) {
        return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
    }

    private static ProducerRecord<String, byte[]> mailRecord(String topic, String key, MailRecords.Encoded mail) {
        RecordHeaders headers = new RecordHeaders();
        mail.headers().forEach(headers::add);
        return new ProducerRecord<>(topic, null, key, mail.value(), headers);
    }

    /** For measurements: many mail records (wire format 2) without waiting for each acknowledgement. */
    void sendAll(String topic, java.util.Map<String, MailRecords.Encoded> keyToValue) {
        List<java.util.concurrent.Future<?>> acks = new java.util.ArrayList<>();
        keyToValue.forEach((k, v) -> acks.add(producer.send(mailRecord(topic, k, v))));
        producer.flush();
        for (java.util.concurrent.Future<?> f : acks) {
            try {
                f.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("cannot write to " + topic, e);
            }
        }
    }

    /** Jobs on mail.outbound for a message. */
    List<Seen> jobs(String messageId) {
        return seen.stream().filter(s -> s.topic().equals("mail.outbound")
                && messageId.equals(s.value().path("messageId").asText())).toList();
    }

    /** Jobs on mail.outbound per message, for many messages in one pass. */
    Map<String, Long> jobCounts(java.util.Set<String> messageIds) {
        return seen.stream().filter(s -> s.topic().equals("mail.outbound"))
                .map(s -> s.value().path("messageId").asText()).filter(messageIds::contains)
                .collect(java.util.stream.Collectors.groupingBy(id -> id, java.util.stream.Collectors.counting()));
    }

    /** Delivery events for a message. */
    List<Seen> events(String messageId) {
        return seen.stream().filter(s -> s.topic().equals("mail.delivery-events")
                && messageId.equals(s.value().path("data").path("messageId").asText())).toList();
    }

    static String messageId(String what) {
        return "rt-" + RouterTestResource.RUN + "-" + what + "-" + java.util.UUID.randomUUID().toString().substring(0, 6);
    }

    static String domain(String what) {
        return what + "-" + RouterTestResource.RUN + ".example";
    }
}
