package io.postway.router.messaging;

import io.postway.testkit.LogCapture;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A record's handling and its log lines, on whichever worker thread they run, carry the message id in the log context. */
class InFlightRecordsTest {

    @Test
    void everyAttemptAndItsRetryLineCarryTheMessageIdInTheLogContext() {
        InFlightRecords records = new InFlightRecords("test-channel", 4);
        CompletableFuture<Void> acked = new CompletableFuture<>();
        Message<String> record = Message.of("x", () -> {
            acked.complete(null);
            return CompletableFuture.completedFuture(null);
        });
        AtomicInteger attempts = new AtomicInteger();
        Queue<Object> seenByHandling = new ConcurrentLinkedQueue<>();
        try (LogCapture log = LogCapture.of(InFlightRecords.class.getName() + ".test-channel", "messageId")) {
            records.start(record, "m-42", () -> "message m-42", () -> {
                seenByHandling.add(String.valueOf(MDC.get("messageId")));
                if (attempts.incrementAndGet() == 1) {
                    throw new IllegalStateException("PostgreSQL away");
                }
                return CompletableFuture.completedFuture(null);
            });
            await().atMost(Duration.ofSeconds(10)).until(acked::isDone);
            List<LogCapture.Line> retried = log.containing("failed, will retry");
            assertEquals(1, retried.size());
            assertEquals("m-42", retried.get(0).mdc());
        }
        assertEquals(List.of("m-42", "m-42"), List.copyOf(seenByHandling), "both attempts ran with the id in the log context");
    }
}
