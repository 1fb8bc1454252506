package io.postway.router.messaging;

import io.postway.contract.json.ContractJson;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** mail.deferred: recipients delivery will try again, into the deferred queue. */
public final class DeferredMailConsumer extends KafkaLoop {

    private static final Logger LOG = Logger.getLogger(DeferredMailConsumer.class);

    private final MessageRouter router;

    public DeferredMailConsumer(MessageRouter router, Map<String, Object> kafka, String groupId, String autoOffsetReset,
                                int maxRecordBytes, String topic) {
        super("router-deferred", kafka, groupId, autoOffsetReset, maxRecordBytes, topic);
        this.router = router;
    }

    @Override
    protected CompletableFuture<Void> handle(ConsumerRecord<String, String> record) throws Exception {
        DeferredMail deferred;
        try {
            deferred = ContractJson.read(record.value(), DeferredMail.class);
        } catch (IllegalArgumentException | NullPointerException e) {
            LOG.errorf("dropping unreadable record %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
            return CompletableFuture.completedFuture(null);
        }
        if (deferred.messageId() == null || deferred.domain() == null || deferred.recipients() == null
                || deferred.recipients().isEmpty() || deferred.content() == null) {
            LOG.errorf("dropping incomplete deferred record %s-%d@%d (message %s)", record.topic(), record.partition(),
                    record.offset(), deferred.messageId());
            return CompletableFuture.completedFuture(null);
        }
        router.enqueueDeferred(deferred);
        return CompletableFuture.completedFuture(null);
    }
}
