package io.postway.policy.messaging;

import io.postway.policy.config.PolicyConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads {@code mail.delivery-events} (group {@code policy-tls-reports}) for the TLS-RPT reports on
 * its own thread and hands each polled batch of record values (UTF-8 JSON, undecoded: the handler
 * reads only the fields it needs) to the handler; the offsets are
 * committed only after the handler returned (the batch is durable in PostgreSQL). When the handler
 * throws (PostgreSQL down), nothing is committed: the reader pauses, goes back to the committed
 * offsets and tries again, for as long as it takes (no fail-stop; the recording is idempotent by
 * event id, so the batch read again counts once). A plain consumer like the service's others ({@link CommittingLoop}).
 */
@ApplicationScoped
public class DeliveryEventReader {

    @Inject
    PolicyConfig config;
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    private CommittingLoop<byte[]> loop;

    public void start(Consumer<List<byte[]>> handler) {
        start(config.tlsReports().eventsTopic(), config.tlsReports().eventsGroup(), handler);
    }

    synchronized void start(String topic, String group, Consumer<List<byte[]>> handler) {
        if (loop != null) {
            return;
        }
        Map<String, Object> p = new HashMap<>(kafka);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "policy-service-tls-reports-" + group);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        loop = new CommittingLoop<>(new KafkaConsumer<>(p), topic, "delivery events recorded for the TLS reports");
        loop.start("policy-tls-reports-events", records -> {
            List<byte[]> values = new ArrayList<>(records.count());
            for (ConsumerRecord<String, byte[]> r : records) {
                if (r.value() != null) {
                    values.add(r.value());
                }
            }
            handler.accept(values);
        });
    }

    synchronized void stop(@Observes ShutdownEvent event) {
        if (loop != null) {
            loop.stop();
        }
    }
}
