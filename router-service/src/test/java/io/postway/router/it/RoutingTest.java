package io.postway.router.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.postway.contract.event.DeliveryEvents;
import io.postway.contract.json.ContractJson;
import io.postway.router.messaging.MessageRouter;
import io.postway.router.messaging.RecordSink;
import io.postway.router.messaging.SubmittedMail;
import io.postway.router.messaging.SubmittedMailConsumer;
import io.postway.testkit.LocalInfra;
import io.postway.testkit.PostwayInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** mail.submitted to mail.outbound against the real broker. */
@QuarkusTest
@QuarkusTestResource(value = PostwayInfraResource.class, initArgs = @ResourceArg(name = "database", value = "postway_router_test"))
@QuarkusTestResource(RouterTestResource.class)
class RoutingTest extends RouterTestSupport {

    @Test
    void splitsAMessageIntoOneJobPerDomainUnderEachDomainsPolicy() {
        String exact = TestKafka.domain("exact");
        String wildcardParent = TestKafka.domain("wild");
        String idn = "bücher-" + RouterTestResource.RUN + ".example";
        String idnAscii = java.net.IDN.toASCII(idn);
        String plain = TestKafka.domain("plain");
        publishPolicy(exact, TestPolicies.tlsRule(exact, 4, "DISABLED"), 4);
        publishPolicy("*." + wildcardParent, TestPolicies.tlsRule("*." + wildcardParent, 2, "OPPORTUNISTIC"), 2);

        String id = TestKafka.messageId("split");
        submit(id, List.of("a@" + exact.toUpperCase(), "b@" + exact, "c@mx.eu." + wildcardParent, "d@" + idn,
                "e@" + plain, "broken@-nope-.example"));

        await().atMost(Duration.ofSeconds(20)).until(() -> kafka.jobs(id).size() >= 4 && !kafka.events(id).isEmpty());
        Map<String, JsonNode> byDomain = kafka.jobs(id).stream()
                .collect(Collectors.toMap(TestKafka.Seen::key, TestKafka.Seen::value, (x, y) -> x));
        assertEquals(Set.of(exact, "mx.eu." + wildcardParent, idnAscii, plain), byDomain.keySet());
        assertEquals(4, kafka.jobs(id).size(), "one job per domain");

        JsonNode exactJob = byDomain.get(exact);
        assertEquals(List.of("a@" + exact, "b@" + exact), texts(exactJob.get("recipients")));
        assertEquals(exact, exactJob.path("policy").path("rule").asText());
        assertEquals(4, exactJob.path("policy").path("version").asLong());
        assertEquals("DISABLED", exactJob.path("policy").path("tls").path("mode").asText());
        assertEquals("NONE", exactJob.path("policy").path("auth").path("method").asText(), "enums by name");
        assertEquals("TLSv1.2", exactJob.path("policy").path("tls").path("minVersion").asText(), "missing fields from default");
        assertEquals(1, exactJob.path("attempt").asInt());
        assertEquals(CONTENT, exactJob.path("content").asText());

        assertEquals("*." + wildcardParent, byDomain.get("mx.eu." + wildcardParent).path("policy").path("rule").asText());
        assertEquals("OPPORTUNISTIC", byDomain.get("mx.eu." + wildcardParent).path("policy").path("tls").path("mode").asText());
        assertEquals(List.of("d@" + idnAscii), texts(byDomain.get(idnAscii).get("recipients")));
        assertEquals("default", byDomain.get(plain).path("policy").path("rule").asText());
        assertEquals("P2D", byDomain.get(plain).path("policy").path("retry").path("expireAfter").asText(),
                "whole days as the contract writes them");

        JsonNode bounce = kafka.events(id).get(0).value();
        assertEquals("postway.delivery.bounced", bounce.path("type").asText());
        assertEquals("/postway/router-service/test", bounce.path("source").asText());
        assertEquals("broken@-nope-.example", bounce.path("subject").asText());
        assertEquals("BOUNCED", bounce.path("data").path("status").asText());
        assertTrue(bounce.path("data").path("diagnosis").asText().contains("not a valid domain name"));
        assertEquals("application/cloudevents+json; charset=UTF-8", kafka.events(id).get(0).headers().get("content-type"));
    }

    /**
     * A policy record this router cannot read (a TLS mode or version it does not know) is logged
     * and skipped like any malformed record: the rule it had stays in force, and the records after
     * it are read.
     */
    @Test
    void anUnreadablePolicyRecordKeepsTheRuleInForce() {
        String domain = TestKafka.domain("unreadable");
        publishPolicy(domain, TestPolicies.tlsRule(domain, 1, "REQUIRED"), 1);
        kafka.send(RouterTestResource.POLICY_CHANGES, domain, TestPolicies.tlsRule(domain, 2, "STRICT"));
        kafka.send(RouterTestResource.POLICY_CHANGES, domain, TestPolicies.tlsRule(domain, 3, "REQUIRED")
                .replace("\"minVersion\":null", "\"minVersion\":\"TLSv9\""));
        kafka.send(RouterTestResource.POLICY_CHANGES, domain, "{not json");
        String marker = TestKafka.domain("after-unreadable");
        publishPolicy(marker, TestPolicies.tlsRule(marker, 1, "DISABLED"), 1);

        assertEquals(1, service.policies().snapshot().get(domain).version());
        assertEquals(1, service.policies().resolve(domain).orElseThrow().version());
        assertEquals("REQUIRED", service.policies().resolve(domain).orElseThrow().tls().mode().name());
    }

    @Test
    void aPolicyChangeIsInForceForTheNextMessageWithinASecond() {
        String domain = TestKafka.domain("change");
        publishPolicy(domain, TestPolicies.tlsRule(domain, 1, "REQUIRED"), 1);
        String first = TestKafka.messageId("before");
        submit(first, List.of("x@" + domain));
        await().atMost(Duration.ofSeconds(20)).until(() -> kafka.jobs(first).size() == 1);
        assertEquals("REQUIRED", kafka.jobs(first).get(0).value().path("policy").path("tls").path("mode").asText());

        long start = System.nanoTime();
        kafka.send(RouterTestResource.POLICY_CHANGES, domain, TestPolicies.tlsRule(domain, 2, "OPPORTUNISTIC"));
        await().atMost(Duration.ofSeconds(1)).until(() -> service.policies().resolve(domain).orElseThrow().version() == 2);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("policy change in force after %d ms%n", tookMs);

        String second = TestKafka.messageId("after");
        submit(second, List.of("x@" + domain));
        await().atMost(Duration.ofSeconds(20)).until(() -> kafka.jobs(second).size() == 1);
        JsonNode policy = kafka.jobs(second).get(0).value().path("policy");
        assertEquals("OPPORTUNISTIC", policy.path("tls").path("mode").asText());
        assertEquals(2, policy.path("version").asLong());
    }

    /**
     * A router dies after writing two of a message's five jobs, before committing its offset. The
     * next router of the group starts from the uncommitted offset and writes all five again with
     * the same job ids: nothing is lost, the duplicates are recognisable.
     */
    @Test
    void aRouterKilledMidMessageLosesNoJob() {
        String topic = "router-test." + RouterTestResource.RUN + ".crash";
        RouterTestResource.createTopics(LocalInfra.get().kafkaBootstrap, List.of(new NewTopic(topic, 1, (short) 1)));
        String group = "router-crash-" + RouterTestResource.RUN;
        String id = TestKafka.messageId("crash");
        List<String> domains = List.of("c1", "c2", "c3", "c4", "c5").stream().map(TestKafka::domain).toList();

        AtomicInteger jobsWritten = new AtomicInteger();
        AtomicReference<SubmittedMailConsumer> doomed = new AtomicReference<>();
        RecordSink dyingAfterTwoJobs = record -> {
            if (record.topic().equals("mail.outbound") && jobsWritten.incrementAndGet() > 2) {
                doomed.get().abort();
                return CompletableFuture.failedFuture(new IllegalStateException("killed"));
            }
            return service.sink().send(record);
        };
        doomed.set(consumer(dyingAfterTwoJobs, group, topic));
        kafka.send(topic, id, ContractJson.write(new SubmittedMail(id, "test",
                java.time.Instant.now(), "it@contoso.com", domains.stream().map(d -> "r@" + d).toList(), 42L, CONTENT)));
        doomed.get().start();
        await().atMost(Duration.ofSeconds(30)).until(() -> !doomed.get().isRunning());
        await().atMost(Duration.ofSeconds(10)).until(() -> kafka.jobs(id).size() == 2);

        SubmittedMailConsumer successor = consumer(service.sink(), group, topic);
        successor.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> kafka.jobs(id).stream().map(TestKafka.Seen::key)
                    .collect(Collectors.toSet()).containsAll(domains));
        } finally {
            successor.stop();
        }
        Map<String, Set<String>> jobIdsByDomain = kafka.jobs(id).stream().collect(Collectors.groupingBy(TestKafka.Seen::key,
                Collectors.mapping(s -> s.value().path("jobId").asText(), Collectors.toSet())));
        assertEquals(Set.copyOf(domains), jobIdsByDomain.keySet());
        jobIdsByDomain.forEach((d, ids) -> assertEquals(1, ids.size(), d + " got different job ids: " + ids));
        assertFalse(kafka.jobs(id).size() > 7, "only the two jobs written before the crash are repeated");
    }

    /** Failure strategy: while Kafka refuses the jobs, the message is retried from its offset, not skipped. */
    @Test
    void aMessageIsRetriedNotSkippedWhileItsJobsCannotBeWritten() {
        String topic = "router-test." + RouterTestResource.RUN + ".retry";
        RouterTestResource.createTopics(LocalInfra.get().kafkaBootstrap, List.of(new NewTopic(topic, 1, (short) 1)));
        String id = TestKafka.messageId("retry");
        String domain = TestKafka.domain("retry");
        AtomicInteger refusals = new AtomicInteger();
        RecordSink flaky = record -> refusals.incrementAndGet() <= 2
                ? CompletableFuture.failedFuture(new org.apache.kafka.common.errors.TimeoutException("broker unavailable"))
                : service.sink().send(record);
        SubmittedMailConsumer loop = consumer(flaky, "router-retry-" + RouterTestResource.RUN, topic);
        kafka.send(topic, id, ContractJson.write(new SubmittedMail(id, "test",
                java.time.Instant.now(), "it@contoso.com", List.of("r@" + domain), 42L, CONTENT)));
        loop.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> kafka.jobs(id).size() == 1);
            assertEquals(3, refusals.get(), "two refused tries, then the one that went through");
            assertTrue(loop.isRunning());
        } finally {
            loop.stop();
        }
    }

    private SubmittedMailConsumer consumer(RecordSink sink, String group, String topic) {
        MessageRouter router = new MessageRouter(sink, new DeliveryEvents("router-service", "crash-test"),
                service.policies(), service.queue(), new MessageRouter.Topics("mail.outbound", "mail.delivery-events"),
                Duration.ofMinutes(1), Clock.systemUTC(), new SimpleMeterRegistry());
        return new SubmittedMailConsumer(router, service.kafkaConfig(), group, "earliest", 20971520, topic);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
