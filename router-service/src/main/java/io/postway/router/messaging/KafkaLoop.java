package io.postway.router.messaging;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One consumer thread of a group, committing an offset only after the record's outcome is durable.
 *
 * <p>Why a plain {@link KafkaConsumer} and not a SmallRye channel: one input record becomes N
 * outputs (a job per recipient domain, events, queue rows) and its offset may be committed only
 * once all N are acknowledged. SmallRye acknowledges an incoming message when one outgoing message
 * is (or when the method returns), and cannot hold one input's commit until several outputs to
 * several topics and PostgreSQL are acknowledged; here that is an explicit per-partition rule. The
 * routing also must not start before the policy cache is filled, which {@link #start()} makes
 * explicit. The client still takes every setting of Quarkus' {@code default-kafka-broker}
 * (security, SASL, TLS), plus its own below.
 *
 * <p>Failure strategy: a record whose handling fails is not skipped; its partition is rewound to it
 * and tried again after a pause (Kafka or PostgreSQL unavailable heals; the mail is not lost).
 * Records that can never be handled (not JSON) are the handler's to log and drop.
 */
public abstract class KafkaLoop implements Runnable {

    private static final Duration POLL = Duration.ofMillis(300);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(60);

    private final Logger log = Logger.getLogger(getClass());
    private final String name;
    private final Map<String, Object> consumerConfig;
    private final String topic;
    private volatile KafkaConsumer<String, String> consumer;
    private volatile Thread thread;
    private volatile boolean stopping;
    private volatile boolean aborted;
    private volatile boolean assigned;
    private volatile Instant lastPoll;
    private volatile String lastError;

    /** @param kafka Quarkus' {@code default-kafka-broker} properties (every {@code kafka.*} key) */
    protected KafkaLoop(String name, Map<String, Object> kafka, String groupId, String autoOffsetReset,
                        int maxRecordBytes, String topic) {
        this.name = name;
        this.topic = topic;
        Map<String, Object> cfg = new HashMap<>(kafka);
        cfg.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        cfg.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
        cfg.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        cfg.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, autoOffsetReset);
        cfg.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, maxRecordBytes);
        cfg.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Math.max(maxRecordBytes, 52_428_800));
        cfg.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        cfg.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumerConfig = Map.copyOf(cfg);
    }

    /**
     * Handles one record; the record counts as done when the returned future completes (its
     * outputs acknowledged). Throwing, or failing the future, has it tried again.
     */
    protected abstract CompletableFuture<Void> handle(ConsumerRecord<String, String> record) throws Exception;

    public synchronized void start() {
        if (thread == null) {
            thread = new Thread(this, name);
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Orderly stop: finishes the record in hand, commits what is done. */
    public void stop() {
        stopping = true;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        join();
    }

    /** Like a crash: stops at once, commits nothing more (the records in hand are consumed again by the group). */
    public void abort() {
        aborted = true;
        stopping = true;
    }

    public void join() {
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public boolean isRunning() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    public boolean isAssigned() {
        return assigned;
    }

    public Instant lastPoll() {
        return lastPoll;
    }

    public String lastError() {
        return lastError;
    }

    public String topic() {
        return topic;
    }

    @Override
    public void run() {
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
            consumer = c;
            c.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    partitions.forEach(c::position); // fixes the start offset now, not at the first record
                    assigned = true;
                }
            });
            while (!stopping) {
                ConsumerRecords<String, String> records;
                try {
                    records = c.poll(POLL);
                } catch (WakeupException e) {
                    break;
                }
                lastPoll = Instant.now();
                if (!records.isEmpty() && !process(c, records)) {
                    if (aborted) {
                        return;
                    }
                    pause();
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            lastError = e.toString();
            log.errorf(e, "%s stopped", name);
        } finally {
            consumer = null;
        }
    }

    /**
     * Handles the batch: all records are started in order (their outputs pipelined), then each
     * partition's offset is committed up to the first record that did not complete; that
     * partition is rewound to it. False when some partition had to be rewound.
     */
    private boolean process(KafkaConsumer<String, String> c, ConsumerRecords<String, String> records) {
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        Map<TopicPartition, Long> rewind = new HashMap<>();
        Map<TopicPartition, List<Map.Entry<Long, CompletableFuture<Void>>>> started = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            if (rewind.containsKey(tp)) {
                continue;
            }
            if (aborted) {
                return false;
            }
            try {
                started.computeIfAbsent(tp, k -> new ArrayList<>()).add(Map.entry(r.offset(), handle(r)));
            } catch (Exception e) {
                failed(r.topic(), r.partition(), r.offset(), e);
                rewind.put(tp, r.offset());
            }
        }
        for (Map.Entry<TopicPartition, List<Map.Entry<Long, CompletableFuture<Void>>>> p : started.entrySet()) {
            for (Map.Entry<Long, CompletableFuture<Void>> record : p.getValue()) {
                try {
                    record.getValue().get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    done.put(p.getKey(), new OffsetAndMetadata(record.getKey() + 1));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                } catch (ExecutionException | TimeoutException e) {
                    failed(p.getKey().topic(), p.getKey().partition(), record.getKey(),
                            e instanceof ExecutionException ? e.getCause() : e);
                    rewind.merge(p.getKey(), record.getKey(), Math::min);
                    break;
                }
            }
        }
        if (aborted) {
            return false;
        }
        if (!done.isEmpty()) {
            c.commitSync(done);
        }
        rewind.forEach(c::seek);
        if (rewind.isEmpty()) {
            lastError = null;
        }
        return rewind.isEmpty();
    }

    private void failed(String topic, int partition, long offset, Throwable e) {
        if (!aborted) {
            lastError = e.toString();
            log.warnf("%s: record %s-%d@%d failed, will retry: %s", name, topic, partition, offset, e);
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }
}
