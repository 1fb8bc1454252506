package io.postway.router.api;

import io.postway.router.QueueAdmin;
import io.postway.router.RouterService;
import io.postway.router.infra.PolicyCache;
import io.postway.web.ProblemType;
import io.postway.web.ServiceUnavailable;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** How the queue API answers what {@link QueueAdmin} refuses, where no running router can show it. */
class QueueResourceTest {

    @Test
    void aDeleteWhileThePoliciesAreLoadingIs503WithRetryAfter() {
        PolicyCache loading = new PolicyCache("mail.policy-changes", List::of, Duration.ofSeconds(2), Clock.systemUTC());
        QueueAdmin admin = new QueueAdmin(null, null, loading, Clock.systemUTC()); // refuses before touching queue or Kafka
        QueueResource resource = new QueueResource();
        resource.service = new RouterService() {
            @Override
            public QueueAdmin queueAdmin() {
                return admin;
            }
        };
        ServiceUnavailable refused = assertThrows(ServiceUnavailable.class, () -> resource.delete("m-1"));
        assertEquals(503, refused.problem().status());
        assertEquals(ProblemType.UNAVAILABLE.uri().toString(), refused.problem().type());
        assertEquals(Long.toString(ServiceUnavailable.DEFAULT_RETRY_AFTER.toSeconds()), refused.response().getHeaderString("Retry-After"));
    }
}
