package io.postway.intake.infra;

import io.postway.intake.IntakeTestResource;
import io.postway.intake.domain.MessageStatus;
import io.postway.intake.domain.ProjectedEvent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The batched projection against the real database: ownership from accepted events, precedence inside and across batches, idempotence. */
@QuarkusTest
@QuarkusTestResource(value = IntakeTestResource.class, initArgs = @ResourceArg(name = "database", value = "postway_intake_test"))
class StatusRepositoryTest {

    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @Inject
    StatusRepository repository;

    static ProjectedEvent event(String id, String rcpt, String status, int attempt, int second, String client) {
        return new ProjectedEvent(id, rcpt, status, attempt, T0.plusSeconds(second),
                "{\"status\":\"" + status + "\",\"attempt\":" + attempt + "}", client, client == null ? null : T0);
    }

    @Test
    void aBatchKeepsTheWinningEventPerRecipientAndTheOwnerOfItsMessage() throws Exception {
        String id = UUID.randomUUID().toString();
        // out of order in one batch: the final outcome wins over an older deferral and the accepted event read late
        repository.applyAll(List.of(
                event(id, "a@x.example", "DEFERRED", 1, 5, null),
                event(id, "a@x.example", "DELIVERED", 2, 10, null),
                event(id, "a@x.example", "ACCEPTED", 0, 0, "local"),
                event(id, "b@x.example", "ACCEPTED", 0, 0, "local")));
        List<MessageStatus.Recipient> rows = repository.find(id, "local").orElseThrow();
        assertEquals(List.of("DELIVERED", "ACCEPTED"), rows.stream().map(MessageStatus.Recipient::status).toList());
        assertEquals(2, rows.get(0).attempts());
        assertTrue(rows.get(0).lastEventJson().contains("DELIVERED"));
        assertTrue(repository.find(id, "other").isEmpty(), "only the owning client sees it");

        // a later batch: an older deferral with a higher attempt count raises attempts but never replaces the outcome
        repository.applyAll(List.of(event(id, "a@x.example", "DEFERRED", 3, 7, null),
                event(id, "b@x.example", "DEFERRED", 1, 3, null)));
        repository.applyAll(List.of(event(id, "b@x.example", "DEFERRED", 1, 3, null))); // a replay changes nothing
        rows = repository.find(id, "local").orElseThrow();
        assertEquals(List.of("DELIVERED", "DEFERRED"), rows.stream().map(MessageStatus.Recipient::status).toList());
        assertEquals(List.of(3, 1), rows.stream().map(MessageStatus.Recipient::attempts).toList());
        assertTrue(rows.get(0).lastEventJson().contains("DELIVERED"), "the outcome's event stays");
    }

    @Test
    void outcomesBeforeTheAcceptedEventStillFindTheirOwnerLater() throws Exception {
        String id = UUID.randomUUID().toString();
        repository.applyAll(List.of(event(id, "a@x.example", "BOUNCED", 1, 4, null)));
        assertTrue(repository.find(id, "local").isEmpty(), "no owner known yet");
        repository.applyAll(List.of(event(id, "a@x.example", "ACCEPTED", 0, 0, "local")));
        assertEquals("BOUNCED", repository.find(id, "local").orElseThrow().get(0).status());
    }
}
