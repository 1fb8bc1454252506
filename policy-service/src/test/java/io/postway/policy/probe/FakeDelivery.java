package io.postway.policy.probe;

import io.postway.contract.Topics;
import io.postway.contract.json.ContractJson;
import io.postway.contract.policy.TlsVersion;
import io.postway.contract.probe.HostProbe;
import io.postway.contract.probe.ProbeRequest;
import io.postway.contract.probe.ProbeResult;
import io.postway.contract.probe.ProbeStatus;
import io.postway.testkit.ContractSchemas;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * Stands in for delivery-service on the test's probe topics: reads the requests policy-service
 * writes (checked against the contract's schema) and answers with the facts a test gives, in the
 * shape delivery's DomainProber writes for the peers (delivery-service's DomainProberPeersTest
 * probes the real ones).
 */
final class FakeDelivery implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final KafkaProducer<String, String> producer;
    private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

    FakeDelivery(Map<String, Object> kafka) {
        Map<String, Object> c = new HashMap<>(kafka);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "policy-test-fake-delivery-" + UUID.randomUUID());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (Admin admin = Admin.create(kafka)) {
            for (String t : List.of(topic("requests"), topic("results"))) {
                try {
                    admin.createTopics(List.of(new NewTopic(t, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
        consumer = new KafkaConsumer<>(c);
        String topic = topic("requests");
        await().atMost(Duration.ofSeconds(30)).until(() -> !consumer.partitionsFor(topic, Duration.ofSeconds(5)).isEmpty());
        List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(consumer::position);
        Map<String, Object> p = new HashMap<>(kafka);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(p);
    }

    static String topic(String which) {
        return ConfigProvider.getConfig().getValue("postway.policy.probe." + which + "-topic", String.class);
    }

    /** The request for {@code domain} that arrives next (awaited), validated against mail.probe-requests. */
    ProbeRequest awaitRequest(String domain) {
        ProbeRequest[] found = new ProbeRequest[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            Optional<ConsumerRecord<String, String>> hit = seen.stream()
                    .filter(r -> ContractJson.read(r.value(), ProbeRequest.class).domain().equals(domain)).findFirst();
            hit.ifPresent(r -> {
                ContractSchemas.assertValid(Topics.PROBE_REQUESTS, r.value());
                found[0] = ContractJson.read(r.value(), ProbeRequest.class);
                if (!r.key().equals(found[0].probeId())) {
                    throw new AssertionError("a probe request is keyed by its probeId, not " + r.key());
                }
                seen.remove(r);
            });
            return hit.isPresent();
        });
        return found[0];
    }

    /** Answers a request with these hosts, validated against mail.probe-results, and waits for the broker's ack. */
    void answer(ProbeRequest request, List<HostProbe> hosts) throws Exception {
        ProbeResult result = new ProbeResult(request.probeId(), request.domain(), ProbeStatus.DONE, Instant.now(), Instant.now(),
                null, hosts, null, null);
        String json = ContractJson.write(result);
        ContractSchemas.assertValid(Topics.PROBE_RESULTS, json);
        producer.send(new ProducerRecord<>(topic("results"), request.probeId(), json)).get(10, TimeUnit.SECONDS);
    }

    /** The old partner's server: STARTTLS, TLSv1 only, a certificate of a trusted CA naming it. */
    static HostProbe tls10Only(String host, int port) {
        return host(host, port, TlsVersion.TLS_1_0);
    }

    /** The same server after its upgrade: TLSv1.2 and TLSv1.3. */
    static HostProbe modern(String host, int port) {
        return host(host, port, TlsVersion.TLS_1_2, TlsVersion.TLS_1_3);
    }

    static HostProbe host(String host, int port, TlsVersion... accepted) {
        List<HostProbe.Handshake> hs = new ArrayList<>();
        for (TlsVersion v : TlsVersion.values()) {
            hs.add(List.of(accepted).contains(v)
                    ? new HostProbe.Handshake(v, true, null, v.wireName(), "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
                    List.of(new HostProbe.Certificate("CN=" + host, "CN=Postway test CA", List.of(host), List.of("127.0.0.1"),
                            Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2036-01-01T00:00:00Z"))), true, null, true)
                    : new HostProbe.Handshake(v, false, "SSLHandshakeException: Received fatal alert: protocol_version",
                    null, null, List.of(), null, null, null));
        }
        return new HostProbe(host, "127.0.0.1", port, "MX", false, true, null, "220 " + host + " ESMTP Postfix",
                new HostProbe.Capabilities(true, List.of(), List.of(), 41943040L, true, true, false,
                        List.of("250-" + host, "250-SIZE 41943040", "250-STARTTLS", "250 8BITMIME")), hs);
    }

    @Override
    public void close() {
        consumer.close();
        producer.close(Duration.ofSeconds(5));
    }
}
