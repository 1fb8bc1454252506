package io.postway.router.messaging;

import io.postway.contract.json.ContractJson;
import io.postway.contract.policy.PolicyRule;
import io.postway.router.infra.PolicyCache;
import org.apache.kafka.clients.consumer.Consumer;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

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
 *
 * <p>A failure never ends the reader: it starts again (1 s back-off doubling to 30 s) and, while it
 * is not following the topic, says why ({@link #notFollowingReason}, readiness DOWN), since routing
 * on a copy of the policies that no longer changes would ignore every later fix.
 */
public final class PolicyChangeConsumer implements Runnable {

    private static final Logger LOG = Logger.getLogger(PolicyChangeConsumer.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration RESTART_BACKOFF_MIN = Duration.ofSeconds(1);
    private static final Duration RESTART_BACKOFF_MAX = Duration.ofSeconds(30);
    private static final String NOT_STARTED = "not started";

    private final PolicyCache cache;
    private final String topic;
    private final Map<String, Object> config;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Function<Map<String, Object>, Consumer<String, String>> clients;
    /** The next offset to read per partition: where a restarted reader resumes. */
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private volatile Consumer<String, String> consumer;
    private volatile boolean stopping;
    private volatile Thread thread;
    private volatile String notFollowingReason = NOT_STARTED;

    /** @param kafka Quarkus' {@code default-kafka-broker} properties (every {@code kafka.*} key) */
    public PolicyChangeConsumer(PolicyCache cache, Map<String, Object> kafka, int maxRecordBytes, String topic) {
        this(cache, kafka, maxRecordBytes, topic,
                cfg -> new KafkaConsumer<>(cfg, new StringDeserializer(), new StringDeserializer()));
    }

    /** @param clients makes the Kafka client of each reading session from its properties */
    public PolicyChangeConsumer(PolicyCache cache, Map<String, Object> kafka, int maxRecordBytes, String topic,
                                Function<Map<String, Object>, Consumer<String, String>> clients) {
        this.cache = cache;
        this.clients = clients;
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
        synchronized (this) {
            notifyAll(); // ends a back-off wait
        }
        Consumer<String, String> c = consumer;
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

    /**
     * Follows the topic until stopped. Any failure (the broker, the client, the cache) ends only
     * this session: the reader logs it, reports it ({@link #notFollowingReason}), waits a capped
     * back-off and starts a new client that resumes at the positions already applied, so the cache
     * never misses a change and never re-applies an older one over a newer one.
     */
    @Override
    public void run() {
        Duration backoff = RESTART_BACKOFF_MIN;
        while (!stopping) {
            boolean wasFollowing = false;
            try {
                follow();
                return; // stopped
            } catch (WakeupException e) {
                if (stopping) {
                    return;
                }
                wasFollowing = following();
                notFollowing("woken up unexpectedly");
            } catch (RuntimeException e) {
                if (stopping) {
                    return;
                }
                wasFollowing = following();
                notFollowing(e.toString());
                LOG.errorf(e, "reading %s failed; reading it again from where it was after a back-off (at most %s)", topic,
                        RESTART_BACKOFF_MAX);
            } finally {
                consumer = null;
            }
            // a session that had been following starts the back-off afresh; repeated failures double it
            backoff = wasFollowing ? RESTART_BACKOFF_MIN : backoff;
            if (!pause(backoff)) {
                return;
            }
            backoff = backoff.multipliedBy(2).compareTo(RESTART_BACKOFF_MAX) > 0 ? RESTART_BACKOFF_MAX : backoff.multipliedBy(2);
        }
    }

    private void follow() {
        try (Consumer<String, String> c = clients.apply(config)) {
            consumer = c;
            if (stopping) {
                return;
            }
            List<TopicPartition> partitions = partitions(c);
            if (partitions == null) {
                return;
            }
            c.assign(partitions);
            for (TopicPartition p : partitions) {
                Long next = positions.get(p);
                if (next == null) {
                    c.seekToBeginning(List.of(p));
                } else {
                    c.seek(p, next);
                }
            }
            Map<TopicPartition, Long> end = caughtUp() ? Map.of() : c.endOffsets(partitions);
            markFollowing();
            while (!stopping) {
                for (ConsumerRecord<String, String> r : c.poll(POLL)) {
                    apply(r);
                    positions.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
                }
                if (!caughtUp() && end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
                    LOG.infof("policy cache filled from %s: %d rules", topic, cache.snapshot().size());
                    caughtUp.countDown();
                }
            }
        }
    }

    private void markFollowing() {
        if (notFollowingReason != null && !notFollowingReason.startsWith(NOT_STARTED)) {
            LOG.infof("following %s again", topic);
        }
        notFollowingReason = null;
    }

    private void notFollowing(String reason) {
        notFollowingReason = reason;
    }

    /** Waits the back-off; false when stopped or interrupted meanwhile. */
    private boolean pause(Duration backoff) {
        synchronized (this) {
            try {
                if (!stopping) {
                    wait(backoff.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !stopping;
    }

    /** True while the reader is assigned to the topic and polling it. */
    public boolean following() {
        return notFollowingReason == null;
    }

    /** Why the reader is not following the topic now (null while it is). */
    public String notFollowingReason() {
        return notFollowingReason;
    }

    private List<TopicPartition> partitions(Consumer<String, String> c) {
        while (!stopping) {
            try {
                List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(5));
                if (infos != null && !infos.isEmpty()) {
                    return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
                }
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                LOG.warnf("cannot read the partitions of %s yet: %s", topic, e.getMessage());
            }
            notFollowing("the partitions of " + topic + " cannot be read yet");
            if (!pause(Duration.ofSeconds(1))) {
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
