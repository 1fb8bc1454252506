package io.postway.delivery.probe;

import io.postway.contract.Topics;
import io.postway.contract.json.ContractJson;
import io.postway.contract.policy.TlsVersion;
import io.postway.contract.probe.ProbeRequest;
import io.postway.contract.probe.ProbeResult;
import io.postway.contract.probe.ProbeStatus;
import io.postway.delivery.smtp.Peers;
import io.postway.testkit.ContractSchemas;
import io.postway.testkit.LocalInfra;
import io.postway.testkit.TopicRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.postway.delivery.smtp.Policies.policy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The probe channels of the running delivery-service over the real broker: a request on
 * {@code mail.probe-requests} is answered on {@code mail.probe-results} with the record the contract
 * describes (schema, key = probeId), with the facts of the real TLS-1.0-only peer; an unreadable
 * request is skipped and the next one still answered.
 */
@QuarkusTest
@QuarkusTestResource(ProbeTestResource.class)
class ProbeRequestsKafkaTest {

    @Test
    void aRequestIsAnsweredWithTheContractsResultAndAnUnreadableOneIsSkipped() throws Exception {
        String bootstrap = LocalInfra.get().kafkaBootstrap;
        var marks = TopicRecords.endOffsets(bootstrap, ProbeTestResource.RESULTS);
        String probeId = UUID.randomUUID().toString();
        ProbeRequest request = new ProbeRequest(probeId, "tls10.peer.test", Instant.now(), policy().port(Peers.port("TLS10")).build());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(ProbeTestResource.REQUESTS, "garbage", "{not json")).get(10, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(ProbeTestResource.REQUESTS, probeId, ContractJson.write(request))).get(10, TimeUnit.SECONDS);
        }
        List<ConsumerRecord<String, byte[]>> answers = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> TopicRecords.readAfter(bootstrap, ProbeTestResource.RESULTS, marks), l -> !l.isEmpty());
        assertEquals(1, answers.size());
        ConsumerRecord<String, byte[]> answer = answers.get(0);
        ContractSchemas.assertValidRecord(Topics.PROBE_RESULTS, answer);
        assertEquals(probeId, answer.key());
        ProbeResult result = ContractJson.read(new String(answer.value(), StandardCharsets.UTF_8), ProbeResult.class);
        assertEquals(ProbeStatus.DONE, result.status(), result.failure());
        assertEquals("old.peer.test", result.hosts().get(0).host());
        assertEquals(List.of(TlsVersion.TLS_1_0), result.hosts().get(0).acceptedVersions());
        assertTrue(result.hosts().get(0).handshakes().get(0).chainTrusted(), "delivery's trust store (the peers' CA) is the probe's");
    }
}
