package io.postway.testkit;

import io.postway.contract.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What is on a topic, for tests that check real producer output: every record from the beginning
 * (or from marks taken before the test wrote, {@link #endOffsets}) at least up to the end offsets at
 * the time of the call, read with a plain consumer that joins no group (it
 * commits nothing and disturbs no service's consumer group).
 */
public final class TopicRecords {

    private TopicRecords() {
    }

    /** Every record of {@code topic} on the broker at {@code bootstrap}, oldest first per partition. */
    public static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, String topic) {
        return readAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), topic, Duration.ofSeconds(30));
    }

    /**
     * Every record of {@code topic}, with {@code clientConfig} as the consumer's base properties (a
     * secured broker's {@code security.protocol}, {@code sasl.*}, {@code ssl.*} go there); fails when
     * the end is not reached within {@code timeout}. A topic that does not exist yet reads as empty.
     */
    public static List<ConsumerRecord<String, byte[]>> readAll(Map<String, Object> clientConfig, String topic,
                                                                Duration timeout) {
        return readAfter(clientConfig, topic, Map.of(), timeout);
    }

    /**
     * The end offset of each partition of {@code topic} now: a mark before a test writes, so that
     * {@link #readAfter} returns only what was written since (the topic may be shared). A topic
     * that does not exist yet has no partitions: everything written to it later is "after".
     */
    public static Map<TopicPartition, Long> endOffsets(String bootstrap, String topic) {
        try (var consumer = consumer(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<TopicPartition> partitions = partitions(consumer, topic, Duration.ofSeconds(30));
            return partitions.isEmpty() ? Map.of() : Map.copyOf(consumer.endOffsets(partitions, Duration.ofSeconds(30)));
        }
    }

    /** The records of {@code topic} from the {@code marks} ({@link #endOffsets}) to the end offsets now. */
    public static List<ConsumerRecord<String, byte[]>> readAfter(String bootstrap, String topic, Map<TopicPartition, Long> marks) {
        return readAfter(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), topic, marks, Duration.ofSeconds(30));
    }

    /**
     * The records of {@code topic} from the offsets in {@code marks} (a partition without a mark from
     * its beginning) at least up to the end offsets at the time of the call; fails when they are not
     * reached within {@code timeout}.
     */
    public static List<ConsumerRecord<String, byte[]>> readAfter(Map<String, Object> clientConfig, String topic,
                                                                  Map<TopicPartition, Long> marks, Duration timeout) {
        try (var consumer = consumer(clientConfig)) {
            List<TopicPartition> partitions = partitions(consumer, topic, timeout);
            if (partitions.isEmpty()) {
                return List.of();
            }
            consumer.assign(partitions);
            for (TopicPartition p : partitions) {
                if (marks.containsKey(p)) {
                    consumer.seek(p, marks.get(p));
                } else {
                    consumer.seekToBeginning(List.of(p));
                }
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            Instant deadline = Instant.now().plus(timeout);
            while (!reached(consumer, end)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("could not read " + topic + " to its end offsets " + end + " within " + timeout);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** A consumer that joins no group, commits nothing, creates no topic and takes the largest record. */
    private static KafkaConsumer<String, byte[]> consumer(Map<String, Object> clientConfig) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false); // looking must not create the topic
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_RECORD_BYTES);
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Topics.MAX_RECORD_BYTES);
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic, Duration timeout) {
        return consumer.partitionsFor(topic, timeout).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    /** The record's headers by key, each key's values in order, decoded as UTF-8 (a repeated header shows twice). */
    public static Map<String, List<String>> headers(ConsumerRecord<?, ?> record) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Header h : record.headers()) {
            headers.computeIfAbsent(h.key(), k -> new ArrayList<>())
                    .add(h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }

    /**
     * The record's headers as the contract's codecs take them ({@code MailRecords}): each key's last
     * value.
     */
    public static Map<String, byte[]> headerMap(ConsumerRecord<?, ?> record) {
        Map<String, byte[]> headers = new HashMap<>();
        for (Header h : record.headers()) {
            headers.put(h.key(), h.value());
        }
        return headers;
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }
}
