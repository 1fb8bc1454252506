package io.postway.delivery.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.postway.contract.Topics;
import io.postway.contract.event.CloudEventsKafka;
import io.postway.contract.json.ContractJson;
import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.policy.PolicyRule;
import io.postway.contract.policy.TlsMode;
import io.postway.contract.wire.MailRecords;
import io.postway.delivery.smtp.Peers;
import io.postway.delivery.smtp.Policies;
import io.postway.testkit.ContractSchemas;
import io.postway.testkit.LocalInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Jobs through the real broker: events and deferrals as the contract says, mail in the peers' Maildir. */
@QuarkusTest
@QuarkusTestResource(DeliveryTestResource.class)
class OutboundJobKafkaTest {

    static KafkaProducer<String, byte[]> producer;
    static final List<JsonNode> events = new CopyOnWriteArrayList<>();
    static final List<JsonNode> deferrals = new CopyOnWriteArrayList<>();
    static volatile boolean polling = true;
    static Thread poller;
    /** content-type header of each event record, by event id ("(none)" when the record had none). */
    static final Map<String, String> eventContentTypes = new ConcurrentHashMap<>();
    static final ObjectMapper JSON = new ObjectMapper();
    /** The base64 content of each job sent, by messageId. */
    static final Map<String, String> sentContent = new ConcurrentHashMap<>();
    /** Recent, so the retry schedule's cap at the expiry (submittedAt + 2 days) does not apply unless a test wants it. */
    static final Instant SUBMITTED = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(1));

    @BeforeAll
    static void clients() {
        String bootstrap = LocalInfra.get().kafkaBootstrap;
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 20971520), new StringSerializer(), new ByteArraySerializer());
        poller = new Thread(() -> {
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.GROUP_ID_CONFIG, "delivery-test-reader-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
                c.subscribe(List.of(DeliveryTestResource.EVENTS, DeliveryTestResource.DEFERRED));
                while (polling) {
                    for (var rec : c.poll(Duration.ofMillis(200))) {
                        try {
                            JsonNode node = JSON.readTree(rec.value());
                            if (rec.topic().equals(DeliveryTestResource.EVENTS)) {
                                var header = rec.headers().lastHeader(CloudEventsKafka.CONTENT_TYPE_HEADER);
                                eventContentTypes.put(node.get("id").asText(),
                                        header == null ? "(none)" : new String(header.value(), StandardCharsets.UTF_8));
                            }
                            ((CopyOnWriteArrayList<JsonNode>) (rec.topic().equals(DeliveryTestResource.EVENTS) ? events : deferrals)).add(node);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
            }
        });
        poller.setDaemon(true);
        poller.start();
    }

    @AfterAll
    static void close() throws Exception {
        polling = false;
        poller.join(5000);
        producer.close();
    }

    private String send(String domain, List<String> rcpts, int attempt, Policies policy) throws Exception {
        return send(domain, rcpts, attempt, policy, SUBMITTED);
    }

    private String send(String domain, List<String> rcpts, int attempt, Policies policy, Instant submittedAt) throws Exception {
        return send(domain, rcpts, attempt, policy.build(), submittedAt);
    }

    private String send(String domain, List<String> rcpts, int attempt, EffectivePolicy policy, Instant submittedAt) throws Exception {
        return send(domain, rcpts, attempt, policy, submittedAt, true);
    }

    /** A job as the router writes it: wire format 2, or (formatTwo false) the format 1 JSON of an older router. */
    private String send(String domain, List<String> rcpts, int attempt, EffectivePolicy policy, Instant submittedAt,
                        boolean formatTwo) throws Exception {
        String messageId = UUID.randomUUID().toString();
        byte[] content = ("From: it@contoso.test\r\nTo: " + rcpts.get(0) + "\r\nSubject: kafka " + messageId
                + "\r\n\r\nHello over Kafka.\r\n").getBytes(StandardCharsets.UTF_8);
        OutboundJob job = new OutboundJob(UUID.randomUUID().toString(), messageId, domain, "it@contoso.test", rcpts, attempt,
                submittedAt, content, policy);
        sentContent.put(messageId, Base64.getEncoder().encodeToString(content));
        producer.send(record(job, formatTwo)).get();
        return messageId;
    }

    /** The job as a mail.outbound record in wire format 2 (as the router writes it) or 1 (an older router's JSON). */
    private static ProducerRecord<String, byte[]> record(OutboundJob job, boolean formatTwo) {
        if (!formatTwo) {
            return new ProducerRecord<>(DeliveryTestResource.OUTBOUND, job.domain(), ContractJson.writeBytes(job));
        }
        MailRecords.Encoded encoded = MailRecords.write(job);
        RecordHeaders headers = new RecordHeaders();
        encoded.headers().forEach(headers::add);
        return new ProducerRecord<>(DeliveryTestResource.OUTBOUND, null, job.domain(), encoded.value(), headers);
    }

    private static List<JsonNode> eventsFor(String messageId, int expected) {
        await().atMost(Duration.ofSeconds(30)).until(() ->
                events.stream().filter(e -> e.at("/data/messageId").asText().equals(messageId)).count() >= expected);
        return events.stream().filter(e -> e.at("/data/messageId").asText().equals(messageId)).toList();
    }

    private static JsonNode eventFor(List<JsonNode> evs, String rcpt) {
        return evs.stream().filter(e -> e.at("/data/recipient").asText().equals(rcpt)).findFirst().orElseThrow();
    }

    @Test
    void seedStoryDefersUnderRequiredTlsThenDeliversOnceThePolicyDisablesTlsForTheDomain() throws Exception {
        String rcpt = "seed-" + UUID.randomUUID().toString().substring(0, 8) + "@tls10.peer.test";
        String id1 = send("tls10.peer.test", List.of(rcpt), 1, Policies.policy().port(Peers.port("TLS10")));
        JsonNode deferred = eventFor(eventsFor(id1, 1), rcpt);
        assertEquals("postway.delivery.deferred", deferred.get("type").asText());
        assertEquals("1.0", deferred.get("specversion").asText());
        assertEquals("/postway/delivery-service/test-" + DeliveryTestResource.RUN, deferred.get("source").asText());
        assertEquals(rcpt, deferred.get("subject").asText());
        assertEquals("application/json", deferred.get("datacontenttype").asText());
        JsonNode d = deferred.get("data");
        assertEquals("DEFERRED", d.get("status").asText());
        assertEquals("TLS_HANDSHAKE", d.at("/smtp/stage").asText());
        assertEquals("old.peer.test", d.at("/remote/host").asText());
        assertEquals("127.0.0.1", d.at("/remote/ip").asText());
        assertEquals(Peers.port("TLS10"), d.at("/remote/port").asInt());
        assertEquals("MX", d.at("/remote/via").asText());
        assertFalse(d.at("/tls/used").asBoolean());
        assertFalse(d.at("/tls/fellBackToPlaintext").asBoolean());
        // the service's DANE look-up (ad-bit over its DNS server, dnsmasq, which does not validate): insecure, the rule decides
        assertEquals("INSECURE", d.at("/dane/status").asText());
        assertEquals("_" + Peers.port("TLS10") + "._tcp.old.peer.test", d.at("/dane/tlsaName").asText());
        assertTrue(d.at("/dane/failure").isNull());
        assertEquals("REQUIRED", d.at("/policy/tlsMode").asText());
        assertEquals("TLSv1.2", d.at("/policy/minVersion").asText());
        assertTrue(d.get("diagnosis").asText().contains("(protocol_version): old.peer.test accepts none of TLSv1.2-TLSv1.3"), d.get("diagnosis").asText());
        assertEquals("validation-failure", d.get("failureType").asText(), "RFC 8460's name of a failed negotiation");
        Instant at = Instant.parse(d.get("at").asText());
        assertEquals(at.plus(Duration.ofMinutes(15)), Instant.parse(d.get("nextAttemptAt").asText()));
        assertEquals(SUBMITTED.toString(), d.get("submittedAt").asText());
        assertTrue(d.get("transcript").size() > 3);

        await().atMost(Duration.ofSeconds(20)).until(() -> deferrals.stream().anyMatch(r -> r.get("messageId").asText().equals(id1)));
        JsonNode record = deferrals.stream().filter(r -> r.get("messageId").asText().equals(id1)).findFirst().orElseThrow();
        assertEquals(List.of(rcpt), List.of(record.get("recipients").get(0).asText()));
        assertEquals(1, record.get("attempt").asInt());
        assertEquals("default", record.get("policyRule").asText());
        assertEquals(d.get("diagnosis").asText(), record.get("diagnosis").asText());
        assertEquals(d.get("nextAttemptAt").asText(), record.get("nextAttemptAt").asText());
        assertEquals(d.get("at").asText(), record.get("deferredAt").asText());
        assertEquals(sentContent.get(id1), record.get("content").asText(), "the deferred record carries the job's content unchanged");

        // the administrator adds a policy for the domain with TLS disabled; the router retries (attempt 2)
        String id2 = send("tls10.peer.test", List.of(rcpt), 2,
                Policies.policy().rule("tls10.peer.test").mode(TlsMode.DISABLED).port(Peers.port("TLS10")));
        JsonNode delivered = eventFor(eventsFor(id2, 1), rcpt).get("data");
        assertEquals("DELIVERED", delivered.get("status").asText());
        assertEquals("DONE", delivered.at("/smtp/stage").asText());
        assertEquals(250, delivered.at("/smtp/code").asInt());
        assertEquals("tls10.peer.test", delivered.at("/policy/rule").asText());
        assertEquals("DISABLED", delivered.at("/policy/tlsMode").asText());
        assertFalse(delivered.at("/tls/used").asBoolean());
        assertTrue(delivered.get("nextAttemptAt").isNull());
        assertTrue(delivered.get("diagnosis").asText().contains("in plaintext"));
        assertTrue(delivered.get("failureType").isNull());
        String mail = Peers.awaitMessageFor(rcpt);
        assertTrue(mail.contains("Subject: kafka " + id2));
        assertFalse(mail.contains("using TLS"));

        // or the policy allows the server's old version: TLSv1 is offered to this domain only
        String rcpt3 = "seed-v1-" + UUID.randomUUID().toString().substring(0, 8) + "@tls10.peer.test";
        String id3 = send("tls10.peer.test", List.of(rcpt3), 2,
                Policies.policy().rule("tls10.peer.test").versions("TLSv1", "TLSv1.3").port(Peers.port("TLS10")));
        JsonNode overTls1 = eventFor(eventsFor(id3, 1), rcpt3).get("data");
        assertEquals("DELIVERED", overTls1.get("status").asText(), overTls1.get("diagnosis").asText());
        assertTrue(overTls1.at("/tls/used").asBoolean());
        assertEquals("TLSv1", overTls1.at("/tls/protocol").asText());
        assertEquals("TLSv1", overTls1.at("/policy/minVersion").asText());
        assertTrue(Peers.awaitMessageFor(rcpt3).contains("using TLSv1 with cipher"));
    }

    @Test
    void eachRecipientGetsItsOwnEventAndOnlyDeferredOnesGoToTheRouter() throws Exception {
        String ok = "k-" + UUID.randomUUID().toString().substring(0, 8) + "@peer.test";
        List<String> rcpts = List.of(ok, "reject550@peer.test", "defer451@peer.test");
        String id = send("peer.test", rcpts, 1, Policies.policy().port(Peers.port("STARTTLS")));
        List<JsonNode> evs = eventsFor(id, 3);
        JsonNode delivered = eventFor(evs, ok);
        assertEquals("postway.delivery.delivered", delivered.get("type").asText());
        assertTrue(delivered.at("/data/tls/used").asBoolean());
        assertEquals("TLSv1.3", delivered.at("/data/tls/protocol").asText());
        assertFalse(delivered.at("/data/tls/peerSubject").asText().isEmpty());
        assertFalse(delivered.at("/data/tls/peerNotAfter").asText().isEmpty());
        JsonNode bounced = eventFor(evs, "reject550@peer.test");
        assertEquals("postway.delivery.bounced", bounced.get("type").asText());
        assertEquals("RCPT", bounced.at("/data/smtp/stage").asText());
        assertEquals(550, bounced.at("/data/smtp/code").asInt());
        assertEquals("5.1.1", bounced.at("/data/smtp/enhancedCode").asText());
        JsonNode deferred = eventFor(evs, "defer451@peer.test");
        assertEquals("postway.delivery.deferred", deferred.get("type").asText());
        assertEquals("4.3.0", deferred.at("/data/smtp/enhancedCode").asText());
        // CloudEvents Kafka binding, structured mode: every event record says so in its header
        for (JsonNode e : evs) {
            assertEquals(CloudEventsKafka.STRUCTURED_CONTENT_TYPE, eventContentTypes.get(e.get("id").asText()), e.get("type").asText());
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> deferrals.stream().anyMatch(r -> r.get("messageId").asText().equals(id)));
        List<JsonNode> forJob = deferrals.stream().filter(r -> r.get("messageId").asText().equals(id)).toList();
        assertEquals(1, forJob.size());
        assertEquals(1, forJob.get(0).get("recipients").size());
        assertEquals("defer451@peer.test", forJob.get(0).get("recipients").get(0).asText());
        assertTrue(Peers.awaitMessageFor(ok).contains("with ESMTPS"));
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("postway_delivery_recipients_total{outcome=\"BOUNCED\",stage=\"RCPT\"}"));
    }

    @Test
    void aDeliveryIsTimedInTheSessionAndEndToEndHistogramsAndTheOutboundLagIsExposed() throws Exception {
        String ok = "m-" + UUID.randomUUID().toString().substring(0, 8) + "@peer.test";
        String id = send("peer.test", List.of(ok), 1, Policies.policy().mode(TlsMode.OPPORTUNISTIC).port(Peers.port("PLAIN")));
        assertEquals("postway.delivery.delivered", eventFor(eventsFor(id, 1), ok).get("type").asText());
        // the end-to-end figure is recorded once Kafka acknowledged the event, which may be just after the reader saw it
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("postway_delivery_smtp_session_seconds_bucket{result=\"sent\",le=\""))
                .body(containsString("postway_delivery_end_to_end_seconds_bucket{le=\""))
                .body(containsString("kafka_consumer_fetch_manager_records_lag"))
                // the job outputs' plain producer (KafkaOutputs) exports its metrics, as the emitters' producers did
                .body(containsString("kafka_producer_record_send_total{client_id=\"delivery-test-")));
    }

    @Test
    void aDeferralNearTheExpiryIsPromisedTheExpiryInTheEventAndTheRecordAlike() throws Exception {
        // expireAfter is 2 days (Policies); the next interval (15 min) would end after the expiry
        Instant submitted = Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(Duration.ofDays(2)).plus(Duration.ofMinutes(5));
        String id = send("peer.test", List.of("defer451@peer.test"), 3,
                Policies.policy().mode(TlsMode.OPPORTUNISTIC).port(Peers.port("PLAIN")), submitted);
        JsonNode d = eventFor(eventsFor(id, 1), "defer451@peer.test").get("data");
        assertEquals("DEFERRED", d.get("status").asText());
        Instant expiry = submitted.plus(Duration.ofDays(2));
        assertEquals(expiry, Instant.parse(d.get("nextAttemptAt").asText()));
        await().atMost(Duration.ofSeconds(20)).until(() -> deferrals.stream().anyMatch(r -> r.get("messageId").asText().equals(id)));
        JsonNode record = deferrals.stream().filter(r -> r.get("messageId").asText().equals(id)).findFirst().orElseThrow();
        assertEquals(expiry, Instant.parse(record.get("nextAttemptAt").asText()));
        assertEquals(3, record.get("attempt").asInt());
    }

    private static JsonNode deferralFor(String messageId) {
        await().atMost(Duration.ofSeconds(20)).until(() -> deferrals.stream().anyMatch(r -> r.get("messageId").asText().equals(messageId)));
        return deferrals.stream().filter(r -> r.get("messageId").asText().equals(messageId)).findFirst().orElseThrow();
    }

    @Test
    void aJobWhosePolicyCannotBeAppliedIsDeferredToTheRouterSoItsRecipientsStillEnd() throws Exception {
        EffectivePolicy p = Policies.policy().mode(TlsMode.OPPORTUNISTIC).port(Peers.port("PLAIN")).build();
        String rcpt = "nolimits-" + UUID.randomUUID().toString().substring(0, 8) + "@peer.test";
        String id = send("peer.test", List.of(rcpt), 1,
                new EffectivePolicy(p.rule(), p.version(), p.tls(), p.auth(), p.route(), null, p.retry()), SUBMITTED);
        JsonNode d = eventFor(eventsFor(id, 1), rcpt).get("data");
        assertEquals("DEFERRED", d.get("status").asText());
        assertEquals("CONNECT", d.at("/smtp/stage").asText());
        assertTrue(d.get("diagnosis").asText().contains("lacks limits.maxConnections, limits.messagesPerConnection"),
                d.get("diagnosis").asText());
        assertEquals("OPPORTUNISTIC", d.at("/policy/tlsMode").asText());
        // the retry group is usable: the schedule's next attempt is promised in the event and the record alike
        assertEquals(Instant.parse(d.get("at").asText()).plus(Duration.ofMinutes(15)), Instant.parse(d.get("nextAttemptAt").asText()));
        JsonNode record = deferralFor(id);
        assertEquals(rcpt, record.get("recipients").get(0).asText());
        assertEquals(d.get("diagnosis").asText(), record.get("diagnosis").asText());
        assertEquals(d.get("nextAttemptAt").asText(), record.get("nextAttemptAt").asText());
        assertEquals("default", record.get("policyRule").asText());

        // no retry interval: nothing is promised, the router computes the next attempt under the policy in force
        String rcpt2 = "noretry-" + UUID.randomUUID().toString().substring(0, 8) + "@peer.test";
        String id2 = send("peer.test", List.of(rcpt2), 2, new EffectivePolicy(p.rule(), p.version(), p.tls(), p.auth(), p.route(),
                p.limits(), new PolicyRule.Retry(List.of(), p.retry().expireAfter())), SUBMITTED);
        JsonNode d2 = eventFor(eventsFor(id2, 1), rcpt2).get("data");
        assertEquals("DEFERRED", d2.get("status").asText());
        assertTrue(d2.get("diagnosis").asText().contains("retry.intervals is empty"), d2.get("diagnosis").asText());
        assertTrue(d2.path("nextAttemptAt").isNull() || d2.path("nextAttemptAt").isMissingNode());
        JsonNode record2 = deferralFor(id2);
        assertEquals(2, record2.get("attempt").asInt());
        assertTrue(record2.path("nextAttemptAt").isNull() || record2.path("nextAttemptAt").isMissingNode(), record2.toString());
        assertEquals(d2.get("diagnosis").asText(), record2.get("diagnosis").asText());
    }

    @Test
    void offsetsAreCommittedOnceTheOutcomesAreWritten() throws Exception {
        String rcpt = "commit-" + UUID.randomUUID().toString().substring(0, 8) + "@peer.test";
        String id = send("peer.test", List.of(rcpt), 1, Policies.policy().mode(TlsMode.OPPORTUNISTIC).port(Peers.port("PLAIN")));
        eventsFor(id, 1);
        String bootstrap = LocalInfra.get().kafkaBootstrap;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
             KafkaConsumer<String, String> probe = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                     new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                parts.add(new TopicPartition(DeliveryTestResource.OUTBOUND, p));
            }
            Map<TopicPartition, Long> ends = probe.endOffsets(parts);
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                var committed = admin.listConsumerGroupOffsets(DeliveryTestResource.GROUP).partitionsToOffsetAndMetadata().get();
                return parts.stream().allMatch(tp -> ends.get(tp) == 0
                        || (committed.get(tp) != null && committed.get(tp).offset() >= ends.get(tp)));
            });
        }
    }

    /** A rolling upgrade: a job an older router wrote (format 1 JSON, base64 content) is still delivered. */
    @Test
    void aFormatOneJobFromAnOlderRouterIsStillDelivered() throws Exception {
        String rcpt = "legacy-" + UUID.randomUUID().toString().substring(0, 8) + "@peer.test";
        String id = send("peer.test", List.of(rcpt), 1, Policies.policy().mode(TlsMode.OPPORTUNISTIC).port(Peers.port("PLAIN")).build(),
                SUBMITTED, false);
        JsonNode delivered = eventFor(eventsFor(id, 1), rcpt);
        assertEquals("postway.delivery.delivered", delivered.get("type").asText(), delivered.toString());
    }

    @Test
    void aJobRepeatedWithTheSameJobIdAfterItWasHandledIsDroppedAndItsMarkerIsOnTheJobsPartitionNumber() throws Exception {
        String rcpt = "replay-" + UUID.randomUUID().toString().substring(0, 8) + "@peer.test";
        String messageId = UUID.randomUUID().toString();
        OutboundJob job = new OutboundJob(UUID.randomUUID().toString(), messageId, "peer.test", "it@contoso.test", List.of(rcpt), 1,
                SUBMITTED, ("Subject: replay " + messageId + "\r\n\r\nonce\r\n").getBytes(StandardCharsets.UTF_8),
                Policies.policy().mode(TlsMode.OPPORTUNISTIC).port(Peers.port("PLAIN")).build());
        int partition = producer.send(record(job, true)).get().partition();
        assertEquals("postway.delivery.delivered", eventFor(eventsFor(messageId, 1), rcpt).get("type").asText());

        String bootstrap = LocalInfra.get().kafkaBootstrap;
        try (KafkaConsumer<String, String> markers = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(DeliveryTestResource.HANDLED, partition);
            markers.assign(List.of(tp));
            markers.seekToBeginning(List.of(tp));
            List<JsonNode> found = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (var r : markers.poll(Duration.ofMillis(200))) {
                    if (job.jobId().equals(r.key())) {
                        ContractSchemas.assertValid(Topics.OUTBOUND_HANDLED, r.value());
                        found.add(JSON.readTree(r.value()));
                    }
                }
                return !found.isEmpty();
            });
            assertEquals(messageId, found.get(0).get("messageId").asText());
            assertEquals(partition, found.get(0).get("partition").asInt());
            assertEquals(List.of(rcpt), List.of(found.get(0).get("recipients").get(0).asText()));
        }

        // the router repeats the decision (same jobId); a later job on the same partition shows the copy was passed
        producer.send(record(job, true)).get();
        String after = send("peer.test", List.of("after-" + rcpt), 1, Policies.policy().mode(TlsMode.OPPORTUNISTIC).port(Peers.port("PLAIN")));
        eventsFor(after, 1);
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("postway_delivery_jobs_replayed_total"));
        assertEquals(1, events.stream().filter(e -> e.at("/data/messageId").asText().equals(messageId)).count(),
                "the repeated job wrote no second event");
    }

    @Test
    void healthReportsKafkaReady() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
        // the job outputs' producer has its own check (KafkaOutputsReadiness): connected to the broker
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'delivery Kafka producer' }.status", is("UP"));
    }
}
