package io.postway.local;

import io.postway.contract.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

/**
 * Creates the contract's topics on a broker when they are missing (partitions above one where
 * work is spread over consumers; {@code mail.policy-changes} compacted).
 *
 * <p>Usage: {@code CreateTopics <bootstrap-servers> [client.properties]}: the optional file holds
 * the admin client's further settings for a secured broker ({@code security.protocol},
 * {@code sasl.*}, {@code ssl.*}), the same keys every service takes under {@code kafka.*}.
 */
public final class CreateTopics {

    public static void main(String[] args) throws Exception {
        List<NewTopic> topics = List.of(
                topic(Topics.SUBMITTED, 3, Map.of()),
                topic(Topics.OUTBOUND, 6, Map.of()),
                topic(Topics.DEFERRED, 3, Map.of()),
                topic(Topics.DELIVERY_EVENTS, 3, Map.of()),
                topic(Topics.POLICY_CHANGES, 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                topic(Topics.PROBE_REQUESTS, 1, Map.of()),
                topic(Topics.PROBE_RESULTS, 1, Map.of()),
                // "this override can go" findings: an alert stream, kept a week (not compacted)
                topic(Topics.POLICY_REVIEWS, 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.RETENTION_MS_CONFIG, "604800000")),

                // co-partitioned with mail.outbound: a job's done-marker goes to its partition number
                topic(Topics.OUTBOUND_HANDLED, 6, Map.of(TopicConfig.RETENTION_MS_CONFIG, "86400000")));
        Properties client = new Properties();
        if (args.length > 1) {
            try (var in = Files.newInputStream(Path.of(args[1]))) {
                client.load(in);
            }
        }
        client.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        try (Admin admin = Admin.create(client)) {
            for (NewTopic topic : topics) {
                try {
                    admin.createTopics(List.of(topic)).all().get();
                    System.out.println("created " + topic.name());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    private static NewTopic topic(String name, int partitions, Map<String, String> extra) {
        Map<String, String> configs = new java.util.HashMap<>(extra);
        configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(Topics.MAX_RECORD_BYTES));
        return new NewTopic(name, partitions, (short) 1).configs(configs);
    }
}
