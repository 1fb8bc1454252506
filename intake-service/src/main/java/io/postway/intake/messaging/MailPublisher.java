package io.postway.intake.messaging;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.postway.contract.Topics;
import io.postway.contract.event.CloudEventsKafka;
import io.postway.contract.event.DeliveryEvent;
import io.postway.contract.json.ContractJson;
import io.postway.contract.wire.MailRecords;
import io.postway.intake.config.IntakeConfig;
import io.postway.intake.domain.NotAcknowledged;
import io.postway.runtime.MessageLog;
import io.postway.runtime.kafka.ProducerSettings;
import io.postway.runtime.kafka.TraceHeaders;
import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes to Kafka with two plain {@link KafkaProducer}s (acks=all, idempotent:
 * {@link ProducerSettings#acknowledged}) built from Quarkus's {@code kafka.*} configuration (the
 * {@code default-kafka-broker} map, so security and SASL/SSL settings reach them too) plus their own
 * timings. {@code mail.submitted} is written in
 * the contract's wire format 2 ({@link MailRecords}: the raw message as the value, its metadata in a
 * header); events are the contract's JSON ({@link ContractJson}) and every one carries the
 * CloudEvents structured-mode {@code content-type} header ({@link CloudEventsKafka}).
 *
 * <p>{@code mail.submitted} is the promise behind a 202: the answer waits for the broker's
 * acknowledgement (the producer's callback completes it; no request thread is parked), and the producer's own limits ({@code max.block.ms} + {@code delivery.timeout.ms})
 * add up to less than {@code postway.intake.kafka.ack-timeout}, so a record the client was told
 * 503 about has already been given up by the producer and is not written later behind its back.
 *
 * <p>{@code postway.message.accepted} events are sent after that acknowledgement without waiting
 * (the message is accepted whatever happens to them) by a second producer that keeps retrying for
 * minutes, so a short broker hiccup right after a 202 does not lose them.
 *
 * <p>Why plain producers and not SmallRye {@code Emitter}s (the idiom of the router's and delivery's
 * outputs): the 503 promise above needs the record's whole life to be bounded by this producer's
 * own {@code max.block.ms} + {@code delivery.timeout.ms}. An emitter queues the record in its
 * channel's stream and may retry it at the Mutiny level on a timing that is not the producer's, so
 * a record answered 503 could still be written after the answer.
 */
@ApplicationScoped
@Startup
public class MailPublisher {

    private static final Logger LOG = Logger.getLogger(MailPublisher.class);

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    @Inject
    IntakeConfig config;

    /** No-op (nothing added) unless tracing is on (README "Logs and traces"). */
    @Inject
    OpenTelemetry openTelemetry;

    private KafkaProducer<String, byte[]> submitted;
    private KafkaProducer<String, byte[]> events;
    /** The submitted producer's free buffer (its {@code buffer-available-bytes} metric). */
    private Metric submittedBufferFree;
    /** True once a record was acknowledged: the topic's partitions are known, a send needs no metadata wait. */
    private volatile boolean submittedMetadataKnown;

    @PostConstruct
    void open() {
        long ack = config.kafka().ackTimeout().toMillis();
        long linger = 5;
        // max.block (metadata, buffer) + delivery (append to ack or give-up) < ack timeout
        long maxBlock = Math.max(200, ack * 3 / 10);
        long delivery = Math.max(linger + 500, ack * 6 / 10);
        Map<String, Object> s = base("intake-mail-submitted");
        s.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_RECORD_BYTES);
        s.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 134217728L);
        s.put(ProducerConfig.LINGER_MS_CONFIG, (int) linger);
        s.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, maxBlock);
        s.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) delivery);
        s.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) (delivery - linger));
        submitted = new KafkaProducer<>(s, new StringSerializer(), new ByteArraySerializer());
        submittedBufferFree = submitted.metrics().entrySet().stream()
                .filter(m -> m.getKey().name().equals("buffer-available-bytes") && m.getKey().group().equals("producer-metrics"))
                .map(Map.Entry::getValue).findFirst().orElseThrow();

        Map<String, Object> e = base("intake-delivery-events");
        e.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // sent from the acknowledgement's callback, whose answer is already decided: never hold it long for an event
        e.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, maxBlock);
        e.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
        events = new KafkaProducer<>(e, new StringSerializer(), new ByteArraySerializer());
    }

    private Map<String, Object> base(String clientId) {
        Map<String, Object> p = ProducerSettings.acknowledged(kafka, clientId);
        // a broker that comes back is found again quickly (the default backs off up to 1 s per node)
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 250);
        return p;
    }

    @PreDestroy
    void close() {
        // pending accepted events get a last chance to leave
        events.close(Duration.ofSeconds(10));
        submitted.close(Duration.ofSeconds(5));
    }

    /**
     * True when {@link #publish} of a record of {@code size} bytes only appends it to the producer's
     * buffer: the topic's partitions are known and the buffer has room for it. Otherwise the send may
     * wait up to max.block.ms (no metadata yet: a start without broker; a buffer full during an
     * outage), which an event loop must never do, so callers there take a worker thread instead.
     */
    public boolean sendsWithoutBlocking(int size) {
        return submittedMetadataKnown && ((Number) submittedBufferFree.metricValue()).doubleValue() > 2.0 * size + 1_048_576;
    }

    /**
     * Sends {@code message} and, once the broker has acknowledged it, hands its accepted events to
     * their producer. The returned stage completes when the acknowledgement arrives (from the
     * producer's callback: no thread waits for it) and fails with {@link NotAcknowledged} when the
     * broker refused the record or did not acknowledge it within {@code timeout}; then the accepted
     * events are never sent. The events are serialised before the record leaves, so the callback,
     * which runs on the producer's I/O thread, only appends them to the other producer's buffer.
     */
    public CompletableFuture<Void> publish(SubmittedMessage message, List<DeliveryEvent> acceptedEvents, Duration timeout) {
        long t0 = System.nanoTime();
        List<ProducerRecord<String, byte[]>> eventRecords = acceptedEvents.stream().map(MailPublisher::eventRecord).toList();
        CompletableFuture<Void> acked = new CompletableFuture<>();
        try {
            ProducerRecord<String, byte[]> record = submittedRecord(message);
            // a plain producer: the trace context (the request's span) goes into the headers here; the router continues the trace
            TraceHeaders.inject(openTelemetry, Context.current(), record.headers());
            submitted.send(record, (meta, failure) -> {
                if (failure != null) {
                    acked.completeExceptionally(new NotAcknowledged("Kafka refused the record for mail.submitted: " + failure, failure));
                } else if (acked.complete(null)) {
                    submittedMetadataKnown = true;
                    publishEvents(message.messageId(), eventRecords);
                }
            });
        } catch (RuntimeException e) { // no metadata within max.block.ms, buffer full, record too large
            acked.completeExceptionally(new NotAcknowledged("Kafka did not take the record for mail.submitted: " + e, e));
            return acked;
        }
        // a safety net: the producer gives the record up (and calls back) within max.block.ms + delivery.timeout.ms < timeout
        acked.orTimeout(Math.max(0, timeout.toNanos() - (System.nanoTime() - t0)), TimeUnit.NANOSECONDS);
        return acked.exceptionallyCompose(failure -> CompletableFuture.failedFuture(failure instanceof TimeoutException
                ? new NotAcknowledged("Kafka did not acknowledge mail.submitted within " + timeout, failure) : failure));
    }

    /** Hands the events to the producer and returns at once; a failure is logged with the message id. */
    private void publishEvents(String messageId, List<ProducerRecord<String, byte[]>> records) {
        for (ProducerRecord<String, byte[]> r : records) {
            try {
                events.send(r, (meta, failure) -> {
                    if (failure != null) {
                        try (MessageLog log = MessageLog.of(messageId)) { // on the producer's I/O thread
                            LOG.errorf("an accepted event of message %s was not published: %s", messageId, failure);
                        }
                    }
                });
            } catch (RuntimeException failure) {
                try (MessageLog log = MessageLog.of(messageId)) {
                    LOG.errorf("an accepted event of message %s was not published: %s", messageId, failure);
                }
            }
        }
    }

    /** Wire format 2: the value is the raw message, the metadata JSON and the format travel as headers. */
    private static ProducerRecord<String, byte[]> submittedRecord(SubmittedMessage message) {
        MailRecords.Encoded encoded = MailRecords.write(message);
        RecordHeaders headers = new RecordHeaders();
        encoded.headers().forEach(headers::add);
        return new ProducerRecord<>(Topics.SUBMITTED, null, message.messageId(), encoded.value(), headers);
    }

    /** Structured mode: the value is the whole CloudEvent (UTF-8 JSON, written as bytes: no String in between), the key its messageId, the header says so. */
    private static ProducerRecord<String, byte[]> eventRecord(DeliveryEvent event) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(CloudEventsKafka.CONTENT_TYPE_HEADER, CloudEventsKafka.contentTypeHeaderValue());
        return new ProducerRecord<>(Topics.DELIVERY_EVENTS, null, event.data().messageId(), ContractJson.writeBytes(event), headers);
    }
}
