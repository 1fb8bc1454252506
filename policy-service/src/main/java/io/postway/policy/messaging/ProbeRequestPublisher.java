package io.postway.policy.messaging;

import io.postway.contract.json.ContractJson;
import io.postway.contract.probe.ProbeRequest;
import io.postway.policy.config.PolicyConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Writes {@code mail.probe-requests} (key = probeId) and waits for {@code acks=all}: a POST answers
 * 202 only once delivery can see the request. A plain producer, like the outbox relay, because the
 * caller must know the outcome before it answers; no outbox, because a request that could not be
 * written is answered 503 and ends FAILED at once (nothing to replay later).
 */
@ApplicationScoped
public class ProbeRequestPublisher {

    @Inject
    PolicyConfig config;
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    private KafkaProducer<String, String> producer;

    private synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            Map<String, Object> p = new HashMap<>(kafka);
            p.put(ProducerConfig.CLIENT_ID_CONFIG, "policy-service-probes");
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            int timeout = (int) config.probe().sendTimeout().toMillis();
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
            p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
            p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            producer = new KafkaProducer<>(p);
        }
        return producer;
    }

    /** @throws IllegalStateException when the broker did not acknowledge the request in time */
    public void send(ProbeRequest request) {
        try {
            producer().send(new ProducerRecord<>(config.probe().requestsTopic(), request.probeId(), ContractJson.write(request)))
                    .get(config.probe().sendTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending a probe request", e);
        } catch (Exception e) {
            throw new IllegalStateException("the broker did not acknowledge the probe request: " + e.getMessage(), e);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
