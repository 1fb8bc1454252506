package io.postway.router.domain;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class JobIdsTest {

    @Test
    void theSameRoutingDecisionHasTheSameJobId() {
        assertEquals(JobIds.jobId("m1", "fabrikam.com", 1, List.of("a@fabrikam.com", "b@fabrikam.com")),
                JobIds.jobId("m1", "fabrikam.com", 1, List.of("b@fabrikam.com", "a@fabrikam.com")));
    }

    @Test
    void anotherAttemptDomainOrRecipientGroupIsAnotherJob() {
        var base = JobIds.jobId("m1", "fabrikam.com", 1, List.of("a@fabrikam.com"));
        assertNotEquals(base, JobIds.jobId("m1", "fabrikam.com", 2, List.of("a@fabrikam.com")));
        assertNotEquals(base, JobIds.jobId("m1", "contoso.com", 1, List.of("a@fabrikam.com")));
        assertNotEquals(base, JobIds.jobId("m1", "fabrikam.com", 1, List.of("b@fabrikam.com")));
    }
}
