package io.postway.intake.api;

import io.postway.intake.domain.SubmissionRefused;
import io.postway.web.Problem;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each kind of refusal as the client sees it: type, title, status, the fields at fault. */
class SubmissionProblemsTest {

    static final String TYPES = "https://postway.io/problems/";

    static void assertProblem(SubmissionRefused refused, String slug, String title, int status) {
        Problem p = SubmissionProblems.problemOf(refused);
        assertEquals(TYPES + slug, p.type());
        assertEquals(title, p.title());
        assertEquals(status, p.status());
        assertEquals(refused.getMessage(), p.detail());
        assertEquals(refused.errors().isEmpty() ? null : refused.errors().stream()
                .map(e -> new Problem.FieldError(e.field(), e.message())).toList(), p.errors());
    }

    @Test
    void everyKindHasItsType() {
        assertProblem(SubmissionRefused.invalid("to", "at least one recipient"), "invalid-message", "Invalid message", 400);
        assertProblem(SubmissionRefused.invalidRequest("Idempotency-Key", "1 to 255 printable ASCII characters"), "validation", "Invalid request", 400);
        assertProblem(SubmissionRefused.tooLarge(11, 10), "message-too-large", "Message too large", 413);
        assertProblem(SubmissionRefused.senderDomainNotAllowed(List.of("contoso.test"), "fabrikam.test"),
                "sender-domain-not-allowed", "Sender domain not allowed", 403);
        assertProblem(SubmissionRefused.inProgress(), "request-in-progress", "Request in progress", 409);
    }
}
