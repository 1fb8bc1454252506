package io.postway.policy.messaging;

import io.postway.contract.json.ContractJson;
import io.postway.contract.probe.ProbeResult;
import io.postway.policy.config.PolicyConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads {@code mail.probe-results} (group {@code policy-probe-results}) on its own thread and hands
 * each answer to the handler; offsets are committed only after the handler stored the batch, so an
 * answer is never lost (one stored twice is ignored: the first answer wins). A record that is no
 * ProbeResult is logged and skipped. A plain consumer, like the rest of this service's Kafka
 * clients (it has no messaging extension): one loop, one handler, commit after.
 */
@ApplicationScoped
public class ProbeResultReader {

    private static final Logger LOG = Logger.getLogger(ProbeResultReader.class);

    @Inject
    PolicyConfig config;
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    private volatile boolean running;
    private KafkaConsumer<String, String> consumer;
    private Thread thread;

    public synchronized void start(Consumer<ProbeResult> handler) {
        if (thread != null) {
            return;
        }
        Map<String, Object> p = new HashMap<>(kafka);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "policy-service-probe-results");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.probe().resultsGroup());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(p);
        consumer.subscribe(List.of(config.probe().resultsTopic()));
        running = true;
        thread = new Thread(() -> loop(handler), "policy-probe-results");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop(Consumer<ProbeResult> handler) {
        while (running) {
            try {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    ProbeResult result;
                    try {
                        result = ContractJson.read(r.value(), ProbeResult.class);
                    } catch (RuntimeException e) {
                        LOG.errorf("skipping an unreadable mail.probe-results record (key %s): %s", r.key(), e.getMessage());
                        continue;
                    }
                    handler.accept(result);
                }
                consumer.commitSync();
            } catch (WakeupException e) {
                break;
            } catch (RuntimeException e) {
                // the batch is not committed: it is read again after the pause
                LOG.warnf("probe results not stored yet, retrying: %s", e.toString());
                consumer.unsubscribe();
                consumer.subscribe(List.of(config.probe().resultsTopic()));
                pause();
            }
        }
        consumer.close(Duration.ofSeconds(5));
    }

    private static void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
    }
}
