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
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads {@code mail.probe-results} (group {@code policy-probe-results}) on its own thread and hands
 * each answer to the handler; offsets are committed only after the handler stored the batch, so an
 * answer is never lost (one stored twice is ignored: the first answer wins). A record that is no
 * ProbeResult is logged and skipped. A plain consumer, like the rest of this service's Kafka
 * clients (it has no messaging extension): one loop, one handler, commit after ({@link CommittingLoop}).
 */
@ApplicationScoped
public class ProbeResultReader {

    private static final Logger LOG = Logger.getLogger(ProbeResultReader.class);

    @Inject
    PolicyConfig config;
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    private CommittingLoop<String> loop;

    public synchronized void start(Consumer<ProbeResult> handler) {
        if (loop != null) {
            return;
        }
        Map<String, Object> p = new HashMap<>(kafka);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "policy-service-probe-results");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.probe().resultsGroup());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        loop = new CommittingLoop<>(new KafkaConsumer<>(p), config.probe().resultsTopic(), "probe results stored");
        loop.start("policy-probe-results", records -> {
            for (ConsumerRecord<String, String> r : records) {
                ProbeResult result;
                try {
                    result = ContractJson.read(r.value(), ProbeResult.class);
                } catch (RuntimeException e) {
                    LOG.errorf("skipping an unreadable mail.probe-results record (key %s): %s", r.key(), e.getMessage());
                    continue;
                }
                handler.accept(result);
            }
        });
    }

    synchronized void stop(@Observes ShutdownEvent event) {
        if (loop != null) {
            loop.stop();
        }
    }
}
