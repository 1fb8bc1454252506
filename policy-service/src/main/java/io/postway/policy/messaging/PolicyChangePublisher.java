package io.postway.policy.messaging;

import io.postway.policy.config.PolicyConfig;
import io.postway.policy.infra.PolicyRepository;
import io.postway.policy.infra.Transactions;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Relays the outbox to the compacted {@code mail.policy-changes} topic (values: the contract's
 * {@code PolicyRule} JSON, written when the change committed). Rows are sent in commit
 * (id) order and marked sent only after the broker acknowledged them, so a crash between commit and
 * publish leaves rows that the next run sends: the topic can lag the database, never diverge from it
 * for good. Runs on one thread; a change nudges it, a timer retries what failed.
 *
 * <p>Why a plain producer and not a SmallRye emitter: this is a transactional-outbox relay, not a
 * stream: it reads committed rows, sends them in id order and marks sent, in the same thread, only
 * the prefix whose acks are in, so what the topic holds never runs ahead of or out of the
 * database's order. A plain producer with awaited acks says that directly; a channel would only add
 * a queue between the row and its ack.
 */
@ApplicationScoped
public class PolicyChangePublisher {

    private static final Logger LOG = Logger.getLogger(PolicyChangePublisher.class);
    private static final int BATCH = 200;

    @Inject
    Transactions transactions;
    @Inject
    PolicyConfig config;
    /** Every {@code kafka.*} setting (bootstrap servers, security protocol, SASL, SSL): the base of each client. */
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    private ScheduledExecutorService worker;
    private KafkaProducer<String, String> producer;
    private volatile boolean topicChecked;
    private boolean suspended;

    /** Starts the relay: first a pass over everything still pending, then one per interval. */
    public synchronized void start() {
        if (worker != null) {
            return;
        }
        producer = new KafkaProducer<>(producerProperties());
        worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "policy-outbox-publisher");
            t.setDaemon(true);
            return t;
        });
        long every = config.publisher().interval().toMillis();
        worker.scheduleWithFixedDelay(this::publishPendingQuietly, 0, every, TimeUnit.MILLISECONDS);
    }

    /** Asks for a pass now (after a commit), without waiting for it. */
    public void nudge() {
        ScheduledExecutorService w = worker;
        if (w != null && !w.isShutdown()) {
            w.execute(this::publishPendingQuietly);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (worker != null) {
            worker.shutdown();
            try {
                worker.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
        }
    }

    /**
     * Stops the background passes (after the one in progress) until {@link #resume()}: the state a
     * crashed process leaves, which the outbox must repair. Explicit {@link #publishPending()} calls
     * still send.
     */
    public synchronized void suspend() {
        suspended = true;
    }

    public synchronized void resume() {
        suspended = false;
        nudge();
    }

    private synchronized void publishPendingQuietly() {
        if (suspended) {
            return;
        }
        try {
            publishPending();
        } catch (Exception e) {
            LOG.warnf("policy changes not published yet, will retry in %s: %s", config.publisher().interval(), e.toString());
        }
    }

    /**
     * Sends every pending row, oldest first, and returns how many were sent. Safe to call from any
     * thread and from several instances: an advisory lock lets one sender run at a time.
     */
    public synchronized int publishPending() {
        ensureTopic();
        int total = 0;
        while (true) {
            int sent = publishBatch();
            total += sent;
            if (sent < BATCH) {
                return total;
            }
        }
    }

    /** The rows acknowledged and marked sent in one pass, and why the pass stopped early (or null). */
    private record Relayed(int sent, Exception failure) {
        static final Relayed NOTHING = new Relayed(0, null);
    }

    /**
     * One transaction: take the publisher lock, send the oldest pending rows, await their acks in
     * order and mark sent the acknowledged prefix. That prefix commits even when a later row failed;
     * the failure is thrown only after the commit, so the rows after it are sent again next time.
     */
    private int publishBatch() {
        Relayed relayed = transactions.inTransaction(tables -> {
            if (!tables.tryPublisherLock()) {
                return Relayed.NOTHING;
            }
            List<PolicyRepository.OutboxRow> rows = tables.pendingOutbox(BATCH);
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (PolicyRepository.OutboxRow row : rows) {
                acks.add(producer().send(new ProducerRecord<>(config.topic().name(), row.rule(), row.payload())));
            }
            List<Long> acked = new ArrayList<>();
            Exception failure = null;
            for (int i = 0; i < rows.size() && failure == null; i++) {
                try {
                    acks.get(i).get(config.publisher().sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
                    acked.add(rows.get(i).id());
                } catch (ExecutionException | TimeoutException e) {
                    failure = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure = e;
                }
            }
            if (!acked.isEmpty()) {
                tables.markSent(acked);
            }
            return new Relayed(acked.size(), failure);
        });
        if (relayed.sent() > 0) {
            LOG.debugf("published %d policy change(s) to %s", relayed.sent(), config.topic().name());
        }
        if (relayed.failure() != null) {
            throw new IllegalStateException("broker did not acknowledge a policy change", relayed.failure());
        }
        return relayed.sent();
    }

    private synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(producerProperties());
        }
        return producer;
    }

    /**
     * Makes sure the topic exists and is compacted: a consumer subscribing first would have had the
     * broker auto-create it with the delete policy, losing old rules after the retention time.
     */
    private void ensureTopic() {
        if (topicChecked) {
            return;
        }
        try (Admin admin = Admin.create(adminProperties())) {
            try {
                admin.createTopics(List.of(new NewTopic(config.topic().name(), config.topic().partitions(),
                        config.topic().replicationFactor()).configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG,
                        TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get(10, TimeUnit.SECONDS);
                LOG.infof("created compacted topic %s", config.topic().name());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, config.topic().name());
                String policy = admin.describeConfigs(List.of(res)).all().get(10, TimeUnit.SECONDS)
                        .get(res).get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
                if (!policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                    admin.incrementalAlterConfigs(Map.of(res, List.of(new AlterConfigOp(new ConfigEntry(
                            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT), AlterConfigOp.OpType.SET))))
                            .all().get(10, TimeUnit.SECONDS);
                    LOG.warnf("topic %s had cleanup.policy=%s; set to compact", config.topic().name(), policy);
                }
            }
            topicChecked = true;
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf("cannot check topic %s yet: %s", config.topic().name(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Map<String, Object> producerProperties() {
        Map<String, Object> p = new HashMap<>(kafka);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "policy-service-outbox");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return p;
    }

    public String topic() {
        return config.topic().name();
    }

    /** For the admin clients of this service (topic set-up, readiness): the broker settings plus short timeouts. */
    public Map<String, Object> adminProperties() {
        Map<String, Object> p = new HashMap<>(kafka);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "policy-service-admin");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        return p;
    }
}
