package io.postway.router.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.postway.contract.event.DeliveryEvents;
import io.postway.router.QueueAdmin;
import io.postway.router.domain.JobIds;
import io.postway.router.domain.QueueEntry;
import io.postway.router.infra.DeferredQueueInserts;
import io.postway.router.infra.DeferredQueueRepository;
import io.postway.router.infra.PolicyCache;
import io.postway.router.messaging.MessageRouter;
import io.postway.router.messaging.QueueClaimer;
import io.postway.router.messaging.RecordSink;
import io.postway.testkit.PostwayInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** mail.deferred, the PostgreSQL queue, its scheduler and the admin API, against the real broker and database. */
@QuarkusTest
@QuarkusTestResource(value = PostwayInfraResource.class, initArgs = @ResourceArg(name = "database", value = "postway_router_test"))
@QuarkusTestResource(RouterTestResource.class)
class DeferredQueueTest extends RouterTestSupport {

    private static final String ADMIN = "Bearer local-admin-key";

    @Test
    void aPolicyFixAppliesToWaitingMailAfterAFlush() throws Exception {
        String domain = TestKafka.domain("fabrikam");
        String id = TestKafka.messageId("fix");
        Instant submittedAt = Instant.now().minus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.MILLIS);
        String diagnosis = "The TLS handshake failed (protocol_version): mx." + domain + " accepts none of TLSv1.2-TLSv1.3.";
        defer(id, domain, List.of("user@" + domain), 1, submittedAt, diagnosis);
        defer(id, domain, List.of("user@" + domain), 1, submittedAt, diagnosis); // a replayed record queues nothing more

        await().atMost(Duration.ofSeconds(20)).until(() -> !queued(id, domain).isEmpty());
        given().header("Authorization", ADMIN).queryParam("domain", domain.toUpperCase())
                .when().get("/v1/queue")
                .then().statusCode(200)
                .body("domain", equalTo(domain))
                .body("entries.size()", equalTo(1))
                .body("entries[0].messageId", equalTo(id))
                .body("entries[0].attempts", equalTo(1))
                .body("entries[0].recipients", equalTo(List.of("user@" + domain)))
                .body("entries[0].lastDiagnosis", equalTo(diagnosis));
        QueueEntry entry = queued(id, domain).get(0);
        Instant expectedNext = entry.deferredAt().plus(Duration.ofMinutes(15));
        assertEquals(expectedNext, entry.nextAttemptAt(), "first retry interval of the policy in force");
        given().header("Authorization", ADMIN).when().get("/v1/queue").then().statusCode(200)
                .body("domains.domain", hasItem(domain));
        assertTrue(kafka.jobs(id).isEmpty(), "not routed before it is due");

        // the administrator's fix: fabrikam gets its own TLS rule
        publishPolicy(domain, TestPolicies.tlsRule(domain, 7, "OPPORTUNISTIC"), 7);
        given().header("Authorization", ADMIN).queryParam("domain", domain)
                .when().post("/v1/queue/flush")
                .then().statusCode(200).body("flushed", equalTo(1));

        await().atMost(Duration.ofSeconds(10)).until(() -> kafka.jobs(id).size() == 1);
        JsonNode job = kafka.jobs(id).get(0).value();
        assertEquals(2, job.path("attempt").asInt());
        assertEquals(domain, job.path("policy").path("rule").asText());
        assertEquals(7, job.path("policy").path("version").asLong());
        assertEquals("OPPORTUNISTIC", job.path("policy").path("tls").path("mode").asText());
        assertEquals(submittedAt, Instant.parse(job.path("submittedAt").asText()));
        await().atMost(Duration.ofSeconds(5)).until(() -> queued(id, domain).isEmpty());
    }

    /** Delivery promised the next attempt in its deferred event: the router queues the entry due at that instant. */
    @Test
    void aDeferredRecordWithNextAttemptAtIsDueAtThatInstant() throws Exception {
        String domain = TestKafka.domain("promised");
        String id = TestKafka.messageId("promised");
        Instant submittedAt = Instant.now().minus(Duration.ofMinutes(3)).truncatedTo(ChronoUnit.MILLIS);
        // not what the policy in force (first interval 15 min) would give: the promise wins
        Instant promised = Instant.now().plus(Duration.ofMinutes(7)).plusMillis(321).truncatedTo(ChronoUnit.MILLIS);
        defer(id, domain, List.of("p@" + domain), 1, submittedAt, "451 4.7.0 greylisted", promised);

        await().atMost(Duration.ofSeconds(20)).until(() -> !queued(id, domain).isEmpty());
        QueueEntry entry = queued(id, domain).get(0);
        assertEquals(promised, entry.nextAttemptAt());
        assertEquals(1, entry.attempt());
        given().header("Authorization", ADMIN).queryParam("domain", domain).when().get("/v1/queue")
                .then().statusCode(200).body("entries[0].nextAttemptAt", equalTo(promised.toString()));
        assertTrue(kafka.jobs(id).isEmpty(), "not routed before it is due");
    }

    /** Like an invalid domain on mail.submitted: bounced with a diagnosis, never queued under a second normalisation. */
    @Test
    void aDeferredRecordWhoseDomainIsNotADomainIsBouncedNotQueued() throws Exception {
        String domain = "Not_A_" + TestKafka.domain("invalid");
        String id = TestKafka.messageId("invalid");
        defer(id, domain, List.of("x@" + domain), 2, Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS),
                "451 4.3.0 try later");

        await().atMost(Duration.ofSeconds(20)).until(() -> kafka.events(id).size() == 1);
        JsonNode bounce = kafka.events(id).get(0).value();
        assertEquals("postway.delivery.bounced", bounce.path("type").asText());
        assertEquals("x@" + domain, bounce.path("subject").asText());
        assertEquals("BOUNCED", bounce.path("data").path("status").asText());
        assertEquals(2, bounce.path("data").path("attempt").asInt());
        assertTrue(bounce.path("data").path("diagnosis").asText().contains("x@" + domain), "names the address");
        assertTrue(bounce.path("data").path("diagnosis").asText().contains("not a valid domain name"), "says why");
        assertTrue(queued(id, domain.toLowerCase(java.util.Locale.ROOT)).isEmpty(), "nothing queued");
        assertTrue(kafka.jobs(id).isEmpty(), "nothing routed");
    }

    @Test
    void mailOlderThanExpireAfterEndsExpiredForEveryRecipient() throws Exception {
        String domain = TestKafka.domain("slow");
        String id = TestKafka.messageId("expire");
        Instant submittedAt = Instant.now().minus(Duration.ofDays(2)).minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        defer(id, domain, List.of("a@" + domain, "b@" + domain), 9, submittedAt, "451 4.3.0 try later");

        await().atMost(Duration.ofSeconds(20)).until(() -> kafka.events(id).size() == 2);
        for (TestKafka.Seen e : kafka.events(id)) {
            JsonNode ev = e.value();
            assertEquals("postway.delivery.expired", ev.path("type").asText());
            assertEquals("/postway/router-service/test", ev.path("source").asText());
            assertEquals("1.0", ev.path("specversion").asText());
            assertEquals("application/json", ev.path("datacontenttype").asText());
            assertEquals("EXPIRED", ev.path("data").path("status").asText());
            assertEquals(9, ev.path("data").path("attempt").asInt());
            assertTrue(ev.path("data").path("diagnosis").asText().contains("451 4.3.0 try later"));
            assertEquals(id, e.key());
            assertEquals("application/cloudevents+json; charset=UTF-8", e.headers().get("content-type"));
        }
        assertEquals(Set.of("a@" + domain, "b@" + domain),
                kafka.events(id).stream().map(s -> s.value().path("subject").asText()).collect(Collectors.toSet()));
        assertTrue(kafka.jobs(id).isEmpty(), "expired mail is not routed again");
        await().atMost(Duration.ofSeconds(5)).until(() -> queued(id, domain).isEmpty());
    }

    @Test
    void failsClosedWhileNoPolicyCanBeKnownAndRoutesOnceItIs() throws Exception {
        String domain = TestKafka.domain("unknown");
        String id = TestKafka.messageId("closed");
        try {
            PolicyServiceStub.status = 503;
            publishPolicy("default", null, 0);
            await().until(() -> service.policies().state() == PolicyCache.State.UNKNOWN_DEFAULT);
            submit(id, List.of("who@" + domain));

            await().atMost(Duration.ofSeconds(20)).until(() -> kafka.events(id).size() == 1);
            JsonNode ev = kafka.events(id).get(0).value();
            assertEquals("postway.delivery.deferred", ev.path("type").asText());
            assertEquals("DEFERRED", ev.path("data").path("status").asText());
            String diagnosis = ev.path("data").path("diagnosis").asText();
            assertTrue(diagnosis.contains("could not learn the policy for " + domain + "; it will try again"), diagnosis);
            // policy-service's address and answer are the router's business: the log and readiness say them
            assertFalse(diagnosis.contains("http") || diagnosis.contains("503") || diagnosis.contains("policy-service"), diagnosis);
            assertTrue(ev.path("data").path("nextAttemptAt").isTextual());
            assertTrue(kafka.jobs(id).isEmpty(), "never routed without a policy");
            List<QueueEntry> waiting = queued(id, domain);
            assertEquals(1, waiting.size());
            assertEquals(0, waiting.get(0).attempt());
            given().when().get("/q/health/ready").then().statusCode(503)
                    .body(containsString("UNKNOWN_DEFAULT")).body(containsString("answered 503"));

            // a retry while policy-service is still down keeps it waiting
            await().atMost(Duration.ofSeconds(10)).until(() -> queued(id, domain).stream()
                    .anyMatch(e -> e.nextAttemptAt().isAfter(waiting.get(0).nextAttemptAt())));
            assertTrue(kafka.jobs(id).isEmpty());

            // policy-service is back: the REST fallback gives default, the waiting mail goes out under it
            PolicyServiceStub.body = "[" + TestPolicies.defaultRule(42, "REQUIRED") + "]";
            PolicyServiceStub.status = 200;
            await().atMost(Duration.ofSeconds(15)).until(() -> kafka.jobs(id).size() == 1);
            JsonNode job = kafka.jobs(id).get(0).value();
            assertEquals(1, job.path("attempt").asInt());
            assertEquals("default", job.path("policy").path("rule").asText());
            assertEquals(42, job.path("policy").path("version").asLong());
            assertEquals("REQUIRED", job.path("policy").path("tls").path("mode").asText());
        } finally {
            PolicyServiceStub.status = 200;
            publishPolicy("default", TestPolicies.defaultRule(1, "REQUIRED"), 1);
        }
    }

    /**
     * Two claimers on their own connections (as two router replicas would be) work the same due
     * entries at the same time, next to the application's own scheduler: each entry becomes
     * exactly one job.
     */
    /**
     * Rows from mail.deferred are committed in batches: inserts started together from many threads
     * all land (each future completes only once its row is committed), and a replay of them all
     * inserts nothing twice.
     */
    @Test
    void concurrentInsertsAreCommittedTogetherAndAReplayAddsNothing() throws Exception {
        String domain = TestKafka.domain("batched");
        DeferredQueueInserts inserts = new DeferredQueueInserts(service.queue(), 16);
        Instant later = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);
        List<QueueEntry> entries = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String id = TestKafka.messageId("batched" + i);
            List<String> rcpt = List.of("b" + i + "@" + domain);
            entries.add(new QueueEntry(JobIds.entryId(id, domain, 1, rcpt), id, domain, "it@contoso.com", rcpt, 1,
                    Instant.now(), Instant.now(), later, "451 busy", "default", 1L, CONTENT));
        }
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            for (int round = 0; round < 2; round++) { // the second round is a replay
                List<Future<java.util.concurrent.CompletableFuture<Void>>> started = new ArrayList<>();
                for (QueueEntry e : entries) {
                    started.add(pool.submit(() -> inserts.insert(e)));
                }
                for (Future<java.util.concurrent.CompletableFuture<Void>> f : started) {
                    f.get(30, TimeUnit.SECONDS).get(30, TimeUnit.SECONDS);
                }
                assertEquals(60, service.queue().entries(domain).size(), "round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twoRoutersSharingTheQueueNeverRouteAnEntryTwice() throws Exception {
        String domain = TestKafka.domain("shared");
        DeferredQueueRepository queue = service.queue();
        Instant later = Instant.now().plus(Duration.ofHours(1));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String id = TestKafka.messageId("replica" + i);
            ids.add(id);
            List<String> rcpt = List.of("r" + i + "@" + domain);
            queue.insert(new QueueEntry(JobIds.entryId(id, domain, 1, rcpt), id, domain, "it@contoso.com", rcpt, 1,
                    Instant.now(), Instant.now(), later, "451 busy", "default", 1L, CONTENT));
        }
        ConcurrentHashMap<String, Integer> routedBy = new ConcurrentHashMap<>();
        QueueClaimer one = claimer("replica-a", routedBy);
        QueueClaimer two = claimer("replica-b", routedBy);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Integer>> runs = new ArrayList<>();
            for (QueueClaimer c : List.of(one, two)) {
                runs.add(pool.submit(() -> {
                    go.await();
                    int n = 0;
                    while (!queue.entries(domain).isEmpty()) {
                        n += c.drain();
                    }
                    return n;
                }));
            }
            queue.flush(domain, Instant.now());
            go.countDown();
            for (Future<Integer> f : runs) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> ids.stream().allMatch(id -> !kafka.jobs(id).isEmpty()));
        Set<String> jobIds = new HashSet<>();
        for (String id : ids) {
            assertEquals(1, kafka.jobs(id).size(), id + " routed more than once");
            jobIds.add(kafka.jobs(id).get(0).value().path("jobId").asText());
        }
        assertEquals(40, jobIds.size());
        System.out.printf("entries routed by claimer a=%s b=%s (rest by the application's scheduler)%n",
                routedBy.get("replica-a"), routedBy.get("replica-b"));
        assertTrue(routedBy.values().stream().mapToInt(Integer::intValue).sum() > 0, "the test claimers took part");
    }

    private QueueClaimer claimer(String name, ConcurrentHashMap<String, Integer> routedBy) {
        RecordSink slowSink = record -> {
            routedBy.merge(name, 1, Integer::sum);
            try {
                Thread.sleep(15); // keep batches overlapping in time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return service.sink().send(record);
        };
        MessageRouter router = new MessageRouter(slowSink, new DeliveryEvents("router-service", name),
                service.policies(), service.queue(), new MessageRouter.Topics("mail.outbound", "mail.delivery-events"),
                Duration.ofMinutes(1), Clock.systemUTC(), new SimpleMeterRegistry());
        return new QueueClaimer(service.queue(), router, 5, Clock.systemUTC());
    }

    @Test
    void deletingAMessageBouncesItsWaitingRecipients() throws Exception {
        String domain = TestKafka.domain("gone");
        String id = TestKafka.messageId("delete");
        defer(id, domain, List.of("a@" + domain, "b@" + domain), 2, Instant.now(), "421 try later");
        await().atMost(Duration.ofSeconds(20)).until(() -> !queued(id, domain).isEmpty());

        given().header("Authorization", ADMIN).when().delete("/v1/queue/" + id)
                .then().statusCode(200).body("bounced", equalTo(2));
        await().atMost(Duration.ofSeconds(10)).until(() -> kafka.events(id).size() == 2);
        for (TestKafka.Seen e : kafka.events(id)) {
            assertEquals("postway.delivery.bounced", e.value().path("type").asText());
            assertEquals("deleted by admin", e.value().path("data").path("diagnosis").asText());
            assertEquals("BOUNCED", e.value().path("data").path("status").asText());
        }
        assertTrue(queued(id, domain).isEmpty());
        assertTrue(kafka.jobs(id).isEmpty());
        given().header("Authorization", ADMIN).when().delete("/v1/queue/" + id)
                .then().statusCode(404).contentType("application/problem+json").body("status", equalTo(404));
    }

    /**
     * A bounce carries the policy in force (null only when none is known): before its policy cache
     * is loaded a router ends nothing, the message keeps waiting (the API answers 503, QueueResourceTest).
     */
    @Test
    void aDeleteBeforeThePoliciesAreLoadedEndsNothing() throws Exception {
        String domain = TestKafka.domain("early");
        String id = TestKafka.messageId("early-delete");
        defer(id, domain, List.of("e@" + domain), 1, Instant.now(), "421 try later");
        await().atMost(Duration.ofSeconds(20)).until(() -> !queued(id, domain).isEmpty());
        PolicyCache loading = new PolicyCache(RouterTestResource.POLICY_CHANGES, List::of, Duration.ofSeconds(2), Clock.systemUTC());
        MessageRouter router = new MessageRouter(service.sink(), new DeliveryEvents("router-service", "starting"), loading,
                service.queue(), new MessageRouter.Topics("mail.outbound", "mail.delivery-events"), Duration.ofMinutes(1),
                Clock.systemUTC(), new SimpleMeterRegistry());
        QueueAdmin starting = new QueueAdmin(service.queue(), router, loading, Clock.systemUTC());

        assertThrows(QueueAdmin.PoliciesNotLoaded.class, () -> starting.delete(id));
        assertEquals(1, queued(id, domain).size(), "still waiting");
        // the router that has its policies ends it, with the policy in force on the event
        given().header("Authorization", ADMIN).when().delete("/v1/queue/" + id).then().statusCode(200).body("bounced", equalTo(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> kafka.events(id).size() == 1);
        assertEquals("default", kafka.events(id).get(0).value().path("data").path("policy").path("rule").asText());
        assertTrue(queued(id, domain).isEmpty());
    }

    @Test
    void theQueueApiNeedsTheAdminKey() throws Exception {
        given().when().get("/v1/queue").then().statusCode(401)
                .contentType("application/problem+json").body("status", equalTo(401)).body("title", equalTo("Unauthorized"));
        given().header("Authorization", "Bearer wrong").when().post("/v1/queue/flush?domain=fabrikam.com").then().statusCode(401);
        given().header("Authorization", "Bearer local-client-key").when().delete("/v1/queue/x").then().statusCode(403)
                .contentType("application/problem+json");
        given().header("Authorization", ADMIN).when().post("/v1/queue/flush").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("domain"));
        given().header("Authorization", ADMIN).queryParam("domain", "not a domain").when().get("/v1/queue")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void metricsShowQueueSizeAndOldestAgePerDomainAndRoutedJobs() throws Exception {
        String domain = TestKafka.domain("metrics");
        String id = TestKafka.messageId("metrics");
        defer(id, domain, List.of("m@" + domain), 1, Instant.now().minus(Duration.ofHours(1)), "451");
        await().atMost(Duration.ofSeconds(20)).until(() -> !queued(id, domain).isEmpty());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("postway_router_queue_entries{domain=\"" + domain + "\"} 1.0"))
                .body(containsString("postway_router_queue_oldest_age_seconds{domain=\"" + domain + "\"}"))
                .body(containsString("postway_router_queue_depth "))
                .body(containsString("postway_router_jobs_routed_total")));
    }

    @Test
    void readinessReportsPolicyCacheKafkaAndDatabase() throws Exception {
        given().when().get("/q/health/ready").then().statusCode(200)
                .contentType(ContentType.JSON)
                .body("checks.name", hasItem("router policy cache"))
                .body("checks.name", hasItem("router Kafka consumers"))
                .body("checks.name", hasItem("Database connections health check"))
                .body("checks.name", hasItem("Kafka connection health check"))
                .body("checks.find { it.name == 'router policy cache' }.data.followingTopic", equalTo(true));
    }

    @Test
    void theQueueApiIsDescribedInOpenApi() throws Exception {
        given().when().get("/q/openapi?format=json").then().statusCode(200)
                .body(containsString("/v1/queue/flush"))
                .body(containsString("/v1/queue/{messageId}"));
    }
}
