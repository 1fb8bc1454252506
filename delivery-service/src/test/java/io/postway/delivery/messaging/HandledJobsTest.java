package io.postway.delivery.messaging;

import io.postway.testkit.LocalInfra;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The done-markers on the real broker: a worker given a partition knows that partition's handled jobs. */
class HandledJobsTest {

    /** Markers kept in memory only (no broker is asked unless a partition is assigned). */
    static HandledJobs inMemory() {
        return new HandledJobs(Map.of(), "mail.outbound-handled.unused", Duration.ofHours(1), Clock.systemUTC(), Duration.ofSeconds(5));
    }

    @Test
    void onAssignmentTheMarkersOfTheSamePartitionNumbersWithinTheLookbackAreRead() throws Exception {
        String bootstrap = LocalInfra.get().kafkaBootstrap;
        String topic = "mail.outbound-handled.handled-test-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        long now = System.currentTimeMillis();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new StringSerializer())) {
            producer.send(marker(topic, 0, "on-0", now)).get();
            producer.send(marker(topic, 1, "on-1", now)).get();
            producer.send(marker(topic, 2, "on-2", now)).get();
            producer.send(marker(topic, 1, "too-old", now - Duration.ofHours(2).toMillis())).get();
        }
        HandledJobs handled = new HandledJobs(Map.of("bootstrap.servers", bootstrap), topic, Duration.ofHours(1), Clock.systemUTC(), Duration.ofSeconds(5));

        // given partitions 0 and 1 of mail.outbound: the markers of partitions 0 and 1 only, none older than the lookback
        handled.onPartitionsAssigned(null, List.of(new TopicPartition("mail.outbound", 0), new TopicPartition("mail.outbound", 1)));

        assertTrue(handled.handled("on-0"));
        assertTrue(handled.handled("on-1"));
        assertFalse(handled.handled("on-2"), "partition 2 belongs to another worker");
        assertFalse(handled.handled("too-old"), "older than the lookback");
        assertEquals(2, handled.size());
    }

    @Test
    void aBrokerThatCannotBeReadLeavesTheChannelRunningWithoutMarkers() {
        HandledJobs handled = new HandledJobs(Map.of("bootstrap.servers", "127.0.0.1:1", "request.timeout.ms", 500,
                "default.api.timeout.ms", 500), "mail.outbound-handled.nowhere", Duration.ofHours(1), Clock.systemUTC(), Duration.ofSeconds(5));
        handled.onPartitionsAssigned(null, List.of(new TopicPartition("mail.outbound", 0)));
        assertEquals(0, handled.size());
    }

    @Test
    void aRevokedPartitionIsHandedOverOnlyOnceItsRunningJobsFinished() throws Exception {
        HandledJobs handled = inMemory();
        CompletableFuture<Void> onRevoked = new CompletableFuture<>();
        CompletableFuture<Void> onKept = new CompletableFuture<>();
        handled.running(3, onRevoked);
        handled.running(4, onKept);
        Thread revoke = new Thread(() -> handled.onPartitionsRevoked(null, List.of(new TopicPartition("mail.outbound", 3))));
        revoke.start();
        revoke.join(300);
        assertTrue(revoke.isAlive(), "the revocation waits for the job running on partition 3");
        onRevoked.complete(null);
        revoke.join(5000);
        assertFalse(revoke.isAlive(), "handed over once that job finished; partition 4's job does not hold it");
        assertFalse(onKept.isDone());
    }

    @Test
    void markersOlderThanTheLookbackAreForgotten() {
        Instant[] now = {Instant.parse("2026-12-01T10:00:00Z")};
        Clock clock = new Clock() {
            public java.time.ZoneId getZone() { return java.time.ZoneOffset.UTC; }
            public Clock withZone(java.time.ZoneId zone) { return this; }
            public Instant instant() { return now[0]; }
        };
        HandledJobs handled = new HandledJobs(Map.of(), "t", Duration.ofMinutes(10), clock, Duration.ofSeconds(5));
        handled.remember("old", now[0].toEpochMilli());
        now[0] = now[0].plus(Duration.ofMinutes(11));
        handled.remember("new", now[0].toEpochMilli());
        assertFalse(handled.handled("old"));
        assertTrue(handled.handled("new"));
    }

    private static ProducerRecord<String, String> marker(String topic, int partition, String jobId, long at) {
        var m = new HandledJob(jobId, "m-" + jobId, "fabrikam.test", 1, List.of("u@fabrikam.test"), partition, 42,
                Instant.ofEpochMilli(at), "test");
        return new ProducerRecord<>(topic, partition, at, jobId, HandledJobs.write(m));
    }
}
