package io.postway.delivery.messaging;

import java.time.Instant;
import java.util.List;

/**
 * {@code mail.outbound-handled} (delivery → delivery), key = jobId: the done-marker of one
 * {@code mail.outbound} job, written once every event and deferral of the job was acknowledged,
 * to the partition with the job's own partition number (deploy/docs/contract.md, extension).
 * {@code partition}/{@code offset} say where the job was read.
 */
public record HandledJob(String jobId, String messageId, String domain, int attempt, List<String> recipients,
                         int partition, long offset, Instant handledAt, String instance) {
}
