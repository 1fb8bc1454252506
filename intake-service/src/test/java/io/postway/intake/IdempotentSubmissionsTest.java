package io.postway.intake;

import io.postway.intake.domain.Accepted;
import io.postway.intake.domain.SubmissionRefused;
import io.postway.intake.infra.IdempotencyRepository;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Idempotency-Key protocol against the real database: claim, replay, in progress, release. */
@QuarkusTest
@QuarkusTestResource(value = IntakeTestResource.class, initArgs = @ResourceArg(name = "database", value = "postway_intake_test"))
class IdempotentSubmissionsTest {

    @Inject
    IdempotentSubmissions submissions;

    @Inject
    IdempotencyRepository repository;

    final String client = "idempotency-test-" + UUID.randomUUID();
    final AtomicInteger runs = new AtomicInteger();

    CompletableFuture<Accepted> accept() {
        runs.incrementAndGet();
        return CompletableFuture.completedFuture(new Accepted(UUID.randomUUID().toString(), 2));
    }

    @Test
    void aRepeatGetsTheFirstAcceptedMessageAndRunsNothing() throws Exception {
        IdempotentSubmissions.Outcome first = submissions.submit(client, "k1", this::accept).join();
        IdempotentSubmissions.Outcome again = submissions.submit(client, "k1", this::accept).join();
        assertFalse(first.replayed());
        assertTrue(again.replayed());
        assertEquals(first.accepted(), again.accepted());
        assertEquals(1, runs.get(), "the repeat ran nothing");
        assertFalse(submissions.submit("other-" + client, "k1", this::accept).join().replayed(), "keys are per client");
    }

    @Test
    void aKeyHeldByARunningRequestIsRefusedWith409() throws Exception {
        assertTrue(repository.reserve(client, "k2", Duration.ofHours(1)).reserved());
        SubmissionRefused refused = assertThrows(SubmissionRefused.class, () -> submissions.submit(client, "k2", this::accept));
        assertEquals(SubmissionRefused.Kind.IN_PROGRESS, refused.kind());
        assertEquals(0, runs.get());
    }

    @Test
    void aRefusedSubmissionReleasesItsKey() throws Exception {
        assertThrows(SubmissionRefused.class, () -> submissions.submit(client, "k3", () -> {
            throw SubmissionRefused.invalid("to", "at least one recipient");
        }));
        IdempotentSubmissions.Outcome retry = submissions.submit(client, "k3", this::accept).join();
        assertFalse(retry.replayed(), "the retry with the same key runs");
        assertEquals(1, runs.get());
    }

    @Test
    void aMalformedKeyIsRefusedNamingTheHeader() {
        SubmissionRefused refused = assertThrows(SubmissionRefused.class, () -> submissions.submit(client, "with space", this::accept));
        assertEquals(SubmissionRefused.Kind.INVALID_REQUEST, refused.kind());
        assertEquals("Idempotency-Key", refused.errors().get(0).field());
        assertEquals(0, runs.get());
    }

    @Test
    void withoutAKeyTheSubmissionSimplyRuns() throws Exception {
        assertFalse(submissions.submit(client, null, this::accept).join().replayed());
        assertFalse(submissions.submit(client, null, this::accept).join().replayed());
        assertEquals(2, runs.get());
    }
}
