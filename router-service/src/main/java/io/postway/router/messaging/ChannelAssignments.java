package io.postway.router.messaging;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which input topics the channels' consumers have joined their group for, and which partitions
 * they hold (for readiness): a replica that joined with no partition (more replicas than
 * partitions) is ready too. Named in each channel's {@code consumer-rebalance-listener.name}.
 */
@ApplicationScoped
@Identifier(ChannelAssignments.NAME)
public class ChannelAssignments implements KafkaConsumerRebalanceListener {

    public static final String NAME = "router-channel-assignments";

    private final Set<String> joined = ConcurrentHashMap.newKeySet();
    private final Set<TopicPartition> held = ConcurrentHashMap.newKeySet();

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        held.addAll(partitions);
        joined.addAll(consumer.subscription());
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        held.removeAll(partitions);
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        held.removeAll(partitions);
    }

    /** True once the group assigned this topic's partitions (possibly none) to this replica. */
    public boolean joined(String topic) {
        return joined.contains(topic);
    }

    /** How many partitions of the topic this replica holds now. */
    public long partitions(String topic) {
        return held.stream().filter(p -> p.topic().equals(topic)).count();
    }
}
