package io.postway.router.it;

import io.postway.testkit.PostwayInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(value = PostwayInfraResource.class, initArgs = @ResourceArg(name = "database", value = "postway_router_test"))
@QuarkusTestResource(RouterTestResource.class)
/** A burst of mail: every message becomes exactly its jobs, none lost, none doubled; prints the rate. */
class RoutingThroughputTest extends RouterTestSupport {

    @Test
    void aThousandMessagesBecomeExactlyTwoThousandJobs() {
        int n = 1000;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = TestKafka.messageId("tp" + i);
            ids.add(id);
        }
        String d1 = TestKafka.domain("tpa"), d2 = TestKafka.domain("tpb");
        long start = System.nanoTime();
        java.util.Map<String, io.postway.contract.wire.MailRecords.Encoded> records = new java.util.LinkedHashMap<>();
        for (String id : ids) {
            records.put(id, io.postway.contract.wire.MailRecords.write(submitted(id, List.of("x@" + d1, "y@" + d2))));
        }
        kafka.sendAll(RouterTestResource.SUBMITTED, records);
        long produced = System.nanoTime();
        java.util.Set<String> idSet = java.util.Set.copyOf(ids);
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50))
                .until(() -> kafka.jobCounts(idSet).values().stream().mapToLong(Long::longValue).sum() >= 2L * n);
        long done = System.nanoTime();
        java.util.Map<String, Long> counts = kafka.jobCounts(idSet);
        assertEquals(n, counts.size(), "every message routed");
        counts.forEach((id, c) -> assertEquals(2L, c, id));
        System.out.printf("THROUGHPUT %d messages (2 domains each): produced in %d ms, all %d jobs seen after %d ms = %.0f msg/s%n",
                n, (produced - start) / 1_000_000, 2 * n, (done - start) / 1_000_000, n * 1e9 / (done - start));
    }
}
