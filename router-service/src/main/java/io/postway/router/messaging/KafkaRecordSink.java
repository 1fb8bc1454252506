package io.postway.router.messaging;

import io.postway.router.config.RouterConfig;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The router's writes: jobs on {@code mail-outbound} (byte[] values, wire format 2), events on
 * {@code mail-delivery-events} (JSON strings), one
 * SmallRye emitter per topic (channels configured in {@code application.properties}: acks=all,
 * idempotent, every {@code kafka.*} setting). {@link #send} completes when the broker acknowledged
 * the record, or fails when the connector gave it up (nack), so the caller can hold its input's
 * commit until then.
 *
 * <p>A refused send only fails that record: the Kafka connector nacks it and keeps the channel
 * running; it marks a channel not alive only when the producer cannot be created or its stream
 * itself fails (checked in smallrye-reactive-messaging-kafka 4.33's {@code KafkaSink}). That is why
 * the router, unlike intake, needs no plain producer.
 */
@Singleton
public class KafkaRecordSink implements RecordSink {

    public static final String OUTBOUND = "mail-outbound";
    public static final String DELIVERY_EVENTS = "mail-delivery-events";
    /** Records waiting for the connector's sender; past this a send fails (and its input is retried). */
    private static final int BUFFER = 4096;

    private final Map<String, MutinyEmitter<?>> emitters;

    @Inject
    public KafkaRecordSink(RouterConfig config,
                           @Channel(OUTBOUND) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = BUFFER)
                           MutinyEmitter<byte[]> outbound,
                           @Channel(DELIVERY_EVENTS) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = BUFFER)
                           MutinyEmitter<String> deliveryEvents) {
        this.emitters = Map.of(config.topics().outbound(), outbound, config.topics().deliveryEvents(), deliveryEvents);
    }

    @Override
    @SuppressWarnings("unchecked") // each emitter's channel has the serializer of its topic's values (application.properties)
    public CompletableFuture<Void> send(ProducerRecord<String, ?> record) {
        MutinyEmitter<Object> emitter = (MutinyEmitter<Object>) emitters.get(record.topic());
        if (emitter == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("the router writes no records to " + record.topic()));
        }
        Message<Object> message = Message.of(record.value(), Metadata.of(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(record.key()).withHeaders(record.headers()).build()));
        try {
            return emitter.sendMessage(message).subscribeAsCompletionStage();
        } catch (RuntimeException e) { // the buffer is full
            return CompletableFuture.failedFuture(e);
        }
    }
}
