package io.postway.router.it;

import io.postway.router.messaging.KafkaRecordSink;
import io.postway.router.messaging.RecordSink;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.concurrent.CompletableFuture;

/**
 * The router's producer in the tests: the real {@link KafkaRecordSink}, unless a test puts a
 * faulty one in front of it (Kafka refusing, a router dying mid-message) for the application's own
 * channels. Each test that arms it disarms it in a {@code finally}.
 */
@Alternative
@Priority(1)
@Singleton
public class ArmableRecordSink implements RecordSink {

    @Inject
    KafkaRecordSink kafka;

    private volatile RecordSink fault;

    @Override
    public CompletableFuture<Void> send(ProducerRecord<String, ?> record) {
        RecordSink f = fault;
        return f == null ? kafka.send(record) : f.send(record);
    }

    /** From now on every record goes to {@code faulty}, which may pass records on to {@link #kafka()}. */
    void arm(RecordSink faulty) {
        fault = faulty;
    }

    void disarm() {
        fault = null;
    }

    /** Whether a record the router writes names {@code messageId}: in its JSON value, or its metadata header (mail.outbound). */
    static boolean concerns(ProducerRecord<String, ?> record, String messageId) {
        org.apache.kafka.common.header.Header metadata = record.headers().lastHeader(io.postway.contract.wire.MailRecords.METADATA_HEADER);
        String json = metadata != null ? new String(metadata.value(), java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(record.value());
        return json.contains(messageId);
    }

    /** The real producer. */
    RecordSink kafka() {
        return kafka;
    }
}
