package io.postway.policy.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The loop of this service's plain consumers, on a thread of its own: poll, hand the batch to the
 * handler, commit only after it returned (what it stored is durable). When the handler throws (e.g.
 * PostgreSQL down) nothing is committed: the consumer goes back to the committed offsets and the
 * batch is read again after a pause, for as long as it takes (no fail-stop; the handlers are
 * idempotent). One WARN when an outage starts, one INFO when it ends. {@code V}: the record values
 * as the handler takes them.
 */
final class CommittingLoop<V> {

    private static final Logger LOG = Logger.getLogger(CommittingLoop.class);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    private final KafkaConsumer<String, V> consumer;
    private final String topic;
    private final String what;
    private volatile boolean running = true;

    /** @param what what the handler does with the records, for the log ("probe results stored") */
    CommittingLoop(KafkaConsumer<String, V> consumer, String topic, String what) {
        this.consumer = consumer;
        this.topic = topic;
        this.what = what;
    }

    void start(String threadName, Consumer<ConsumerRecords<String, V>> handler) {
        consumer.subscribe(List.of(topic));
        Thread thread = new Thread(() -> run(handler), threadName);
        thread.setDaemon(true);
        thread.start();
    }

    void stop() {
        running = false;
        consumer.wakeup();
    }

    private void run(Consumer<ConsumerRecords<String, V>> handler) {
        boolean failing = false;
        while (running) {
            try {
                ConsumerRecords<String, V> records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    continue;
                }
                handler.accept(records);
                consumer.commitSync();
                if (failing) {
                    LOG.infof("%s again (%s)", what, topic);
                    failing = false;
                }
            } catch (WakeupException e) {
                break;
            } catch (RuntimeException e) {
                if (!failing) {
                    LOG.warnf("%s: not yet, retrying every %s (%s): %s", topic, RETRY_PAUSE, what, e.toString());
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
            Thread.sleep(RETRY_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
