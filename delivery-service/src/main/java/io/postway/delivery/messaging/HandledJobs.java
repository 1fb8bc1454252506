package io.postway.delivery.messaging;

import io.postway.contract.json.ContractJson;
import io.postway.delivery.config.DeliveryConfig;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code mail.outbound} jobs that were handled already (their outputs acknowledged), so that a
 * replayed job is dropped instead of sent a second time. A replay happens when a worker dies (or
 * leaves) after a job's outputs were acknowledged but before its offset was committed, and when
 * the router repeats a routing decision (same deterministic jobId).
 *
 * <p>Why a topic of its own, co-partitioned with {@code mail.outbound}: only the worker that holds
 * a {@code mail.outbound} partition can replay its jobs, so on assignment it needs the markers of
 * that partition only, and it reads them from the marker topic's partition with the same number,
 * from {@code lookback} ago to the end, before the first job of the partition is taken (this
 * listener runs inside the consumer's poll). The delivery events themselves would do too, but they
 * are keyed by messageId across other partitions and mixed with other producers' events, so a new
 * worker would have to read all of them.
 *
 * <p>A partition taken away from a live worker (another replica joined) is handed over only once the
 * jobs this worker still runs on it have finished and been marked (bounded by the drain timeout):
 * the group protocol gives the partition to the new owner only after this callback returned, and
 * the new owner reads the markers first, so it drops those jobs instead of sending them again.
 *
 * <p>Markers are an optimisation of at-least-once, never a condition of it: a marker that cannot be
 * read (broker trouble during the assignment) only means the job may be delivered again; it is
 * written only after the job's events and deferrals were acknowledged, so a marker never hides a
 * recipient whose outcome was not recorded.
 */
@ApplicationScoped
@Identifier(HandledJobs.LISTENER)
public class HandledJobs implements KafkaConsumerRebalanceListener {

    /** Named in {@code mp.messaging.incoming.mail-outbound.consumer-rebalance-listener.name}. */
    public static final String LISTENER = "delivery-handled-jobs";

    private static final Logger LOG = Logger.getLogger(HandledJobs.class);
    private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(5);

    private final Map<String, Object> kafka;
    private final String topic;
    private final Duration lookback;
    private final Clock clock;
    /** jobId -> when it was marked (epoch ms), for eviction after {@code lookback} */
    private final Map<String, Long> handled = new ConcurrentHashMap<>();
    private volatile long nextSweep;
    /** mail.outbound partition -> the jobs running on it now (done when their marker is acknowledged or they failed) */
    private final Map<Integer, Set<CompletableFuture<?>>> running = new ConcurrentHashMap<>();
    private final Duration handOverTimeout;

    @Inject
    HandledJobs(@Identifier("default-kafka-broker") Map<String, Object> kafka, DeliveryConfig config) {
        this(kafka, config.handledJobs().topic(), config.handledJobs().lookback(), Clock.systemUTC(), config.drainTimeout());
    }

    HandledJobs(Map<String, Object> kafka, String topic, Duration lookback, Clock clock, Duration handOverTimeout) {
        this.kafka = kafka;
        this.topic = topic;
        this.lookback = lookback;
        this.clock = clock;
        this.handOverTimeout = handOverTimeout;
    }

    /** A job now running on a partition; forgotten when {@code job} completes either way. */
    void running(int partition, CompletableFuture<?> job) {
        Set<CompletableFuture<?>> jobs = running.computeIfAbsent(partition, p -> ConcurrentHashMap.newKeySet());
        jobs.add(job);
        job.whenComplete((v, t) -> jobs.remove(job));
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        List<CompletableFuture<?>> jobs = partitions.stream()
                .flatMap(p -> running.getOrDefault(p.partition(), Set.of()).stream()).toList();
        if (jobs.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            CompletableFuture.allOf(jobs.toArray(CompletableFuture[]::new)).get(handOverTimeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.infof("handed over %s after its %d running jobs finished (%d ms)", partitions, jobs.size(), (System.nanoTime() - t0) / 1_000_000);
        } catch (TimeoutException e) {
            LOG.warnf("handing over %s with jobs still running after %s; the new owner may send them again", partitions, handOverTimeout);
        } catch (ExecutionException e) {
            // a failed job stays uncommitted and unmarked: the new owner takes it again, as it should
            LOG.debugf("a job of %s failed while being handed over: %s", partitions, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The topic the markers are written to. */
    public String topic() {
        return topic;
    }

    public boolean handled(String jobId) {
        return jobId != null && handled.containsKey(jobId);
    }

    /** Remembers a marker this worker wrote (a later copy of the same job from the router is dropped too). */
    void remember(String jobId, long atMillis) {
        if (jobId == null) {
            return;
        }
        handled.put(jobId, atMillis);
        long now = clock.millis();
        if (now >= nextSweep) {
            nextSweep = now + lookback.toMillis() / 10;
            long oldest = now - lookback.toMillis();
            handled.values().removeIf(at -> at < oldest);
        }
    }

    public int size() {
        return handled.size();
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        List<TopicPartition> markers = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).distinct().toList();
        long t0 = System.nanoTime();
        try {
            int read = load(markers);
            LOG.infof("read %d handled-job markers of %s partitions %s in %d ms", read, topic,
                    markers.stream().map(TopicPartition::partition).toList(), (System.nanoTime() - t0) / 1_000_000);
        } catch (RuntimeException e) {
            // never stop the channel for an optimisation: without the markers a replayed job is delivered again
            LOG.warnf("could not read the handled-job markers of %s (%s); replayed jobs of partitions %s may be delivered again",
                    topic, e.toString(), partitions);
        }
    }

    private int load(List<TopicPartition> markers) {
        Map<String, Object> cfg = new HashMap<>(kafka);
        cfg.remove(ConsumerConfig.GROUP_ID_CONFIG);
        cfg.remove(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
        cfg.put(ConsumerConfig.CLIENT_ID_CONFIG, "delivery-handled-jobs");
        cfg.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        cfg.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        long since = clock.millis() - lookback.toMillis();
        int read = 0;
        try (KafkaConsumer<String, String> reader = new KafkaConsumer<>(cfg, new StringDeserializer(), new StringDeserializer())) {
            reader.assign(markers);
            Map<TopicPartition, Long> from = new HashMap<>();
            markers.forEach(p -> from.put(p, since));
            Map<TopicPartition, OffsetAndTimestamp> starts = reader.offsetsForTimes(from, LOAD_TIMEOUT);
            Map<TopicPartition, Long> ends = reader.endOffsets(markers, LOAD_TIMEOUT);
            for (TopicPartition p : markers) {
                OffsetAndTimestamp start = starts.get(p);
                reader.seek(p, start == null ? ends.get(p) : start.offset());
            }
            long deadline = System.nanoTime() + LOAD_TIMEOUT.toNanos();
            while (markers.stream().anyMatch(p -> reader.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("markers not read to their end in " + LOAD_TIMEOUT.toSeconds() + " s");
                }
                for (ConsumerRecord<String, String> r : reader.poll(Duration.ofMillis(200))) {
                    if (r.key() != null && r.timestamp() >= since) {
                        handled.put(r.key(), r.timestamp());
                        read++;
                    }
                }
            }
        }
        return read;
    }

    /** The marker's value as written on the topic. */
    static String write(HandledJob marker) {
        return ContractJson.write(marker);
    }
}
