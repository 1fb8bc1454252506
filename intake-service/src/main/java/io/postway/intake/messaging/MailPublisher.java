package io.postway.intake.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes to Kafka and waits for the broker's acknowledgement (acks=all, idempotent producer), so
 * the REST answer can say "durably in Kafka" or "not taken" and nothing in between.
 */
@ApplicationScoped
public class MailPublisher {

    /** The broker did not acknowledge in time, or refused: the caller answers 503. */
    public static class NotAcknowledged extends Exception {
        public NotAcknowledged(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Inject
    @Channel(Topics.MAIL_SUBMITTED_CHANNEL)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
    Emitter<String> submitted;

    @Inject
    @Channel(Topics.MAIL_DELIVERY_EVENTS_OUT_CHANNEL)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384)
    Emitter<String> events;

    @Inject
    ObjectMapper json;

    public void publishSubmitted(SubmittedMessage message, Duration timeout) throws NotAcknowledged {
        await(send(submitted, message.messageId(), write(message)), timeout, "mail.submitted");
    }

    /** All events or none acknowledged within the timeout. */
    public void publishEvents(List<DeliveryEvent> list, Duration timeout) throws NotAcknowledged {
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (DeliveryEvent e : list) {
            acks.add(send(events, e.data().messageId(), write(e)));
        }
        await(CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)), timeout, "mail.delivery-events");
    }

    private static CompletableFuture<Void> send(Emitter<String> emitter, String key, String payload) {
        CompletableFuture<Void> ack = new CompletableFuture<>();
        Message<String> m = Message.of(payload,
                Metadata.of(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build()),
                () -> {
                    ack.complete(null);
                    return CompletableFuture.completedFuture(null);
                },
                failure -> {
                    ack.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                });
        try {
            emitter.send(m);
        } catch (RuntimeException e) { // overflow, or the channel was cancelled after a failure
            ack.completeExceptionally(e);
        }
        return ack;
    }

    private static void await(CompletableFuture<?> ack, Duration timeout, String topic) throws NotAcknowledged {
        try {
            ack.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new NotAcknowledged("Kafka did not acknowledge " + topic + " within " + timeout, e);
        } catch (ExecutionException e) {
            throw new NotAcknowledged("Kafka refused the record for " + topic + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotAcknowledged("interrupted while waiting for Kafka", e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
