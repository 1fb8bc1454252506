package io.postway.policy.messaging;

import io.postway.policy.config.PolicyConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads {@code mail.delivery-events} (group {@code policy-tls-reports}) for the TLS-RPT reports on
 * its own thread and hands each polled batch of record values to the handler; the offsets are
 * committed only after the handler returned (the batch is durable in PostgreSQL). When the handler
 * throws (PostgreSQL down), nothing is committed: the reader pauses, goes back to the committed
 * offsets and tries again, for as long as it takes (no fail-stop; the recording is idempotent by
 * event id, so the batch read again counts once). A plain consumer like the service's others.
 */
@ApplicationScoped
public class DeliveryEventReader {

    private static final Logger LOG = Logger.getLogger(DeliveryEventReader.class);

    @Inject
    PolicyConfig config;
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    private volatile boolean running;
    private KafkaConsumer<String, String> consumer;
    private Thread thread;

    public void start(Consumer<List<String>> handler) {
        start(config.tlsReports().eventsTopic(), config.tlsReports().eventsGroup(), handler);
    }

    synchronized void start(String topic, String group, Consumer<List<String>> handler) {
        if (thread != null) {
            return;
        }
        Map<String, Object> p = new HashMap<>(kafka);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "policy-service-tls-reports-" + group);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(p);
        consumer.subscribe(List.of(topic));
        running = true;
        thread = new Thread(() -> loop(topic, handler), "policy-tls-reports-events");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop(String topic, Consumer<List<String>> handler) {
        boolean failing = false;
        while (running) {
            try {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    continue;
                }
                List<String> values = new ArrayList<>(records.count());
                for (ConsumerRecord<String, String> r : records) {
                    if (r.value() != null) {
                        values.add(r.value());
                    }
                }
                handler.accept(values);
                consumer.commitSync();
                if (failing) {
                    LOG.infof("delivery events recorded again for the TLS reports");
                    failing = false;
                }
            } catch (WakeupException e) {
                break;
            } catch (RuntimeException e) {
                if (!failing) {
                    LOG.warnf("delivery events not recorded for the TLS reports yet, retrying: %s", e.toString());
                    failing = true;
                }
                // back to the committed offsets: the batch is read again after the pause
                consumer.unsubscribe();
                consumer.subscribe(List.of(topic));
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
