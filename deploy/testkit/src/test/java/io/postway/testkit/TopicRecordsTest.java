package io.postway.testkit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Against the real broker: what was produced is what {@link TopicRecords} reads back. */
class TopicRecordsTest {

    final String bootstrap = LocalInfra.get().kafkaBootstrap;

    @Test
    void readsEveryRecordOfEveryPartitionWithItsHeaders() throws Exception {
        String topic = "testkit.capture-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 6; i++) {
                var record = new ProducerRecord<>(topic, i % 3, "k" + i, ("v" + i).getBytes());
                record.headers().add("content-type", "text/plain".getBytes()).add("trace", ("t" + i).getBytes())
                        .add("trace", "again".getBytes());
                producer.send(record).get();
            }
        }

        var records = TopicRecords.readAll(bootstrap, topic);

        assertEquals(List.of("k0", "k1", "k2", "k3", "k4", "k5"),
                records.stream().map(r -> r.key()).sorted().toList());
        var k4 = records.stream().filter(r -> r.key().equals("k4")).findFirst().orElseThrow();
        assertEquals("v4", new String(k4.value()));
        assertEquals(Map.of("content-type", List.of("text/plain"), "trace", List.of("t4", "again")), TopicRecords.headers(k4));
    }

    @Test
    void aTopicThatDoesNotExistReadsAsEmpty() {
        assertEquals(List.of(), TopicRecords.readAll(bootstrap, "testkit.absent-" + UUID.randomUUID()));
    }
}
