package io.postway.router.messaging;

import io.postway.contract.json.ContractJson;
import io.postway.contract.policy.PolicyRule;
import io.postway.router.infra.PolicyCache;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Reads the compacted mail.policy-changes from its beginning on every start, without a consumer
 * group (every replica needs every rule), and keeps following it: a change reaches the cache
 * within one poll (a few hundred milliseconds).
 *
 * <p>Why a plain {@link KafkaConsumer} and not a SmallRye channel like the router's other inputs:
 * this is a cache feed, not a stream of work. It has no group, commits nothing and acknowledges
 * nothing, so none of what a channel adds (acks, commit and failure strategies) applies. What it
 * does need a channel does not give: every partition, whatever their number, from the beginning on
 * every start (the connector subscribes with a group, or assigns only the partitions listed one by
 * one in {@code assign-seek}), and the moment it has read up to the end offsets it saw at start,
 * which is what lets routing begin ({@link #awaitCaughtUp}). It still starts from every
 * {@code kafka.*} setting of Quarkus' {@code default-kafka-broker}.
 */
public final class PolicyChangeConsumer implements Runnable {

    private static final Logger LOG = Logger.getLogger(PolicyChangeConsumer.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final PolicyCache cache;
    private final String topic;
    private final Map<String, Object> config;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile KafkaConsumer<String, String> consumer;
    private volatile boolean stopping;
    private volatile Thread thread;

    /** @param kafka Quarkus' {@code default-kafka-broker} properties (every {@code kafka.*} key) */
    public PolicyChangeConsumer(PolicyCache cache, Map<String, Object> kafka, int maxRecordBytes, String topic) {
        this.cache = cache;
        this.topic = topic;
        Map<String, Object> cfg = new HashMap<>(kafka);
        cfg.remove(ConsumerConfig.GROUP_ID_CONFIG); // no group: every replica reads every partition from the start
        cfg.put(ConsumerConfig.CLIENT_ID_CONFIG, "router-policy-changes");
        cfg.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        cfg.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, maxRecordBytes);
        cfg.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.config = Map.copyOf(cfg);
    }

    public synchronized void start() {
        if (thread == null) {
            thread = new Thread(this, "router-policy-changes");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Waits until the topic has been read to the end it had at start; false on timeout. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean caughtUp() {
        return caughtUp.getCount() == 0;
    }

    public void stop() {
        stopping = true;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        Thread t = thread;
        if (t != null) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void run() {
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer = c;
            List<TopicPartition> partitions = partitions(c);
            if (partitions == null) {
                return;
            }
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            while (!stopping) {
                for (ConsumerRecord<String, String> r : c.poll(POLL)) {
                    apply(r);
                }
                if (caughtUp.getCount() > 0 && end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
                    LOG.infof("policy cache filled from %s: %d rules", topic, cache.snapshot().size());
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            LOG.errorf(e, "reading %s stopped", topic);
        } finally {
            consumer = null;
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, String> c) {
        while (!stopping) {
            try {
                List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(5));
                if (infos != null && !infos.isEmpty()) {
                    return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
                }
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                LOG.warnf("cannot read the partitions of %s yet: %s", topic, e.getMessage());
            }
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    private void apply(ConsumerRecord<String, String> r) {
        if (r.key() == null) {
            return;
        }
        if (r.value() == null) {
            cache.applyTopicRecord(r.key(), null);
            return;
        }
        try {
            PolicyRule rule = ContractJson.read(r.value(), PolicyRule.class);
            cache.applyTopicRecord(r.key(), rule);
        } catch (IllegalArgumentException e) {
            // Not JSON, or a value this router does not know (a TLS mode, an AUTH method, a TLS
            // version): dropping the rule would let default (maybe weaker) apply to its domains, so
            // keep the previous value and say so loudly.
            LOG.errorf("ignoring unreadable policy record for rule %s at %s-%d@%d: %s", r.key(), r.topic(),
                    r.partition(), r.offset(), e.getMessage());
        }
    }
}
