package io.postway.policy.messaging;

import io.postway.contract.event.CloudEventsKafka;
import io.postway.policy.config.PolicyConfig;
import io.postway.policy.infra.ReviewEventRepository.PendingEvent;
import io.postway.policy.infra.Transactions;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Relays the outbox of {@code mail.policy-reviews} (the "this override can go" CloudEvents queued
 * with the review's note) the way {@link PolicyChangePublisher} relays rules: oldest first under an
 * advisory lock, acks=all, and only the acknowledged prefix marked sent, so a broker that is down
 * or a crash before the ack leaves rows the next pass sends (at least once; the event id is
 * deterministic, so a consumer drops a repeat). A queued event nudges it; a timer retries.
 * The topic is not created here: it is the contract's (CreateTopics, the KafkaTopic), so the
 * service needs only Write on it.
 */
@ApplicationScoped
public class PolicyReviewPublisher {

    private static final Logger LOG = Logger.getLogger(PolicyReviewPublisher.class);
    private static final int BATCH = 100;

    @Inject
    Transactions transactions;
    @Inject
    PolicyConfig config;
    @Inject
    PolicyChangePublisher changes;

    private ScheduledExecutorService worker;
    private KafkaProducer<String, String> producer;

    void onStart(@Observes StartupEvent event) {
        Map<String, Object> p = new HashMap<>(changes.producerProperties());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "policy-service-reviews");
        producer = new KafkaProducer<>(p);
        worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "policy-review-publisher");
            t.setDaemon(true);
            return t;
        });
        long every = config.publisher().interval().toMillis();
        worker.scheduleWithFixedDelay(this::publishPendingQuietly, 0, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (worker != null) {
            worker.shutdown();
            try {
                worker.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** Asks for a pass now (after an event was queued), without waiting for it. */
    public void nudge() {
        ScheduledExecutorService w = worker;
        if (w != null && !w.isShutdown()) {
            w.execute(this::publishPendingQuietly);
        }
    }

    private void publishPendingQuietly() {
        try {
            publishPending();
        } catch (RuntimeException e) {
            LOG.warnf("override review events not published yet, will retry in %s: %s", config.publisher().interval(), e.toString());
        }
    }

    /** Sends every queued event, oldest first, and returns how many the broker acknowledged. */
    public synchronized int publishPending() {
        int total = 0;
        while (true) {
            int sent = publishBatch();
            total += sent;
            if (sent < BATCH) {
                return total;
            }
        }
    }

    private record Relayed(int sent, Exception failure) {
    }

    /** One transaction: lock, send, await the acks in order, mark the acknowledged prefix; a failure is thrown after the commit. */
    private int publishBatch() {
        String topic = config.review().eventsTopic();
        Relayed relayed = transactions.inTransaction(tables -> {
            if (!tables.reviewEvents().tryRelayLock()) {
                return new Relayed(0, null);
            }
            List<PendingEvent> rows = tables.reviewEvents().pending(BATCH);
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            Exception failure = null;
            for (PendingEvent row : rows) {
                ProducerRecord<String, String> record = new ProducerRecord<>(topic, row.rule(), row.payload());
                record.headers().add(CloudEventsKafka.CONTENT_TYPE_HEADER, CloudEventsKafka.contentTypeHeaderValue());
                try {
                    acks.add(producer.send(record));
                } catch (KafkaException e) {
                    // no metadata within max.block.ms (broker down, topic missing): what was sent before still counts
                    failure = e;
                    break;
                }
            }
            List<Long> acked = new ArrayList<>();
            for (int i = 0; i < acks.size(); i++) {
                try {
                    acks.get(i).get(config.publisher().sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
                    acked.add(rows.get(i).id());
                } catch (ExecutionException | TimeoutException e) {
                    failure = e;
                    break;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure = e;
                    break;
                }
            }
            if (!acked.isEmpty()) {
                tables.reviewEvents().markSent(acked);
            }
            return new Relayed(acked.size(), failure);
        });
        if (relayed.sent() > 0) {
            LOG.infof("published %d override review event(s) to %s", relayed.sent(), topic);
        }
        if (relayed.failure() != null) {
            throw new IllegalStateException("broker did not acknowledge an override review event", relayed.failure());
        }
        return relayed.sent();
    }
}
