package io.postway.router.messaging;

import io.postway.contract.json.ContractJson;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** mail.submitted: each accepted message becomes one job per recipient domain. */
public final class SubmittedMailConsumer extends KafkaLoop {

    private static final Logger LOG = Logger.getLogger(SubmittedMailConsumer.class);

    private final MessageRouter router;

    public SubmittedMailConsumer(MessageRouter router, Map<String, Object> kafka, String groupId, String autoOffsetReset,
                                 int maxRecordBytes, String topic) {
        super("router-submitted", kafka, groupId, autoOffsetReset, maxRecordBytes, topic);
        this.router = router;
    }

    @Override
    protected CompletableFuture<Void> handle(ConsumerRecord<String, String> record) throws Exception {
        SubmittedMail mail;
        try {
            mail = ContractJson.read(record.value(), SubmittedMail.class);
        } catch (IllegalArgumentException | NullPointerException e) {
            // not a message (a foreign or broken record): retrying cannot help, and blocking the
            // partition would stop all mail behind it
            LOG.errorf("dropping unreadable record %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
            return CompletableFuture.completedFuture(null);
        }
        if (mail.messageId() == null || mail.recipients() == null || mail.content() == null || mail.submittedAt() == null) {
            LOG.errorf("dropping incomplete submitted record %s-%d@%d (message %s)", record.topic(), record.partition(),
                    record.offset(), mail.messageId());
            return CompletableFuture.completedFuture(null);
        }
        return router.routeSubmitted(mail);
    }
}
