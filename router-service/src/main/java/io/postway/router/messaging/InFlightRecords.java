package io.postway.router.messaging;

import io.postway.runtime.MessageLog;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The records of one channel that are being handled: each is acknowledged only once everything it
 * produced is durable (jobs and events acknowledged by Kafka, queue rows committed in PostgreSQL),
 * so under {@code commit-strategy=throttled} its offset (and every later one of its partition) is
 * committed only then.
 *
 * <p>Failure strategy: a handling that fails (Kafka or PostgreSQL unavailable) is not skipped but
 * run again, whole, with a capped back-off ({@link #FIRST_RETRY} doubling up to {@link #MAX_PAUSE});
 * its outputs carry deterministic ids, so a repeat writes the same jobs again, never different
 * ones. Only after {@link #RETRY_FOR} of failures is the record nacked: the channel's
 * {@code failure-strategy=fail} then stops it with its offset uncommitted (liveness DOWN), and the
 * replica that takes over reads it again. {@code throttled.unprocessed-record-max-age.ms} is set
 * above that bound plus one attempt, so the connector never gives up first.
 *
 * <p>Several records are in flight at once (their Kafka writes pipelined); the channel takes the
 * next record (or poll's batch) only while fewer than {@code maxInFlight} are.
 *
 * <p>Cost (issue 11): the first attempt runs at once on the calling (worker) thread and its
 * completion is a plain future; only a failed attempt enters the Mutiny retry chain.
 */
final class InFlightRecords {

    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration MAX_PAUSE = Duration.ofSeconds(10);
    static final Duration RETRY_FOR = Duration.ofMinutes(10);

    /** One attempt at handling a record; completes when its outputs are durable. */
    @FunctionalInterface
    interface Handling {
        CompletionStage<Void> run() throws Exception;
    }

    private final Logger log;
    private final String channel;
    private final int maxInFlight;
    private int inFlight;
    private CompletableFuture<Void> slotFreed;
    private volatile String lastError;

    InFlightRecords(String channel, int maxInFlight) {
        this.log = Logger.getLogger(InFlightRecords.class.getName() + "." + channel);
        this.channel = channel;
        this.maxInFlight = maxInFlight;
    }

    /**
     * Starts handling {@code record} (acked when done, nacked once retries ran out) and returns
     * when the channel may take the next record.
     */
    CompletionStage<Void> start(Message<?> record, String messageId, Supplier<String> what, Handling handling) {
        handle(messageId, what, handling).whenComplete((done, failure) -> {
            if (failure == null) {
                record.ack();
            } else {
                record.nack(failure);
            }
        });
        return slotFree();
    }

    /**
     * Starts handling a record of a batch: the returned future completes once its outputs are
     * durable, or fails once retries ran out (the caller then nacks). Every attempt and its log
     * lines carry {@code messageId} in the log context; {@code what} (where the record is) is only
     * built for a log line.
     */
    CompletableFuture<Void> handle(String messageId, Supplier<String> what, Handling handling) {
        synchronized (this) {
            inFlight++;
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        attempt(messageId, handling).whenComplete((done, failed) -> {
            if (failed == null) {
                succeeded(result);
            } else {
                // the cause itself, as Mutiny hands it to the retries (health's lastError, the log line)
                failedOnce(messageId, what, failed instanceof CompletionException && failed.getCause() != null ? failed.getCause() : failed);
                retry(messageId, what, handling, result);
            }
        });
        return result;
    }

    private void retry(String messageId, Supplier<String> what, Handling handling, CompletableFuture<Void> result) {
        Uni<Void> retried = Uni.createFrom().completionStage(() -> attempt(messageId, handling))
                // every retry on a worker thread: handling may block (JDBC, the REST fallback)
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure().invoke(e -> failedOnce(messageId, what, e))
                .onFailure().retry().withBackOff(FIRST_RETRY, MAX_PAUSE).expireIn(RETRY_FOR.toMillis());
        // the first retry after FIRST_RETRY too, as the back-off would have it
        Uni.createFrom().voidItem().onItem().delayIt().by(FIRST_RETRY).onItem().transformToUni(ignored -> retried)
                .subscribe().with(
                        done -> succeeded(result),
                        failure -> {
                            try (MessageLog ignored = MessageLog.of(messageId)) {
                                log.errorf(failure, "%s: %s still failing after %s; nacked, the channel stops uncommitted",
                                        channel, what.get(), RETRY_FOR);
                            }
                            finished();
                            result.completeExceptionally(failure);
                        });
    }

    private void succeeded(CompletableFuture<Void> result) {
        if (lastError != null) {
            lastError = null;
        }
        finished();
        result.complete(null);
    }

    private void failedOnce(String messageId, Supplier<String> what, Throwable e) {
        lastError = e.toString();
        try (MessageLog ignored = MessageLog.of(messageId)) {
            log.warnf("%s: %s failed, will retry: %s", channel, what.get(), e.toString());
        }
    }

    /** The last failure of a handling, or null once a handling has succeeded since. */
    String lastError() {
        return lastError;
    }

    private static CompletionStage<Void> attempt(String messageId, Handling handling) {
        try (MessageLog ignored = MessageLog.of(messageId)) {
            return handling.run();
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Completes when the channel may take the next record or batch: fewer than {@code maxInFlight} are being handled. */
    synchronized CompletionStage<Void> slotFree() {
        if (inFlight < maxInFlight) {
            return CompletableFuture.completedFuture(null);
        }
        if (slotFreed == null) {
            slotFreed = new CompletableFuture<>();
        }
        return slotFreed;
    }

    private void finished() {
        CompletableFuture<Void> freed = null;
        synchronized (this) {
            inFlight--;
            if (slotFreed != null && inFlight < maxInFlight) {
                freed = slotFreed;
                slotFreed = null;
            }
        }
        if (freed != null) {
            freed.complete(null);
        }
    }
}
