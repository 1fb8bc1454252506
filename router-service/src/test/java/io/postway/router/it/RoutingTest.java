package io.postway.router.it;

import io.postway.contract.OutboundKey;
import com.fasterxml.jackson.databind.JsonNode;
import io.postway.contract.json.ContractJson;
import io.postway.router.messaging.RouterChannels;
import io.postway.router.messaging.SubmittedMail;
import io.postway.testkit.PostwayInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.PausableChannel;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** mail.submitted to mail.outbound against the real broker. */
@QuarkusTest
@QuarkusTestResource(value = PostwayInfraResource.class, initArgs = @ResourceArg(name = "database", value = "postway_router_test"))
@QuarkusTestResource(RouterTestResource.class)
class RoutingTest extends RouterTestSupport {

    @Inject
    ChannelRegistry registry;

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
                .collect(Collectors.toMap(TestKafka::domainOf, TestKafka.Seen::value, (x, y) -> x));
        for (TestKafka.Seen job : kafka.jobs(id)) {
            // keyed by domain, split into slots for a domain allowed several connections (contract.md, mail.outbound)
            assertEquals(OutboundKey.of(job.value().path("domain").asText(), job.value().path("jobId").asText(),
                    job.value().path("policy").path("limits").path("maxConnections").asInt()), job.key());
        }
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
        TestKafka.Seen exactRecord = kafka.jobs(id).stream().filter(s -> TestKafka.domainOf(s).equals(exact)).findFirst().orElseThrow();
        assertArrayEquals(CONTENT, exactRecord.bytes(), "the message goes on as the record value, byte for byte");
        assertEquals("2", exactRecord.headers().get("postway-format"));
        assertEquals("message/rfc822", exactRecord.headers().get("content-type"));
        assertFalse(exactJob.has("content"), "the metadata header carries no content");

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
     * A rolling upgrade: records intake wrote before wire format 2 (the JSON with base64 content)
     * are still on mail.submitted; the router reads them and writes their jobs in format 2, the
     * message decoded once into the value. A record of a format this router does not know is
     * dropped as unreadable, and the mail behind it is routed.
     */
    @Test
    void aFormatOneRecordIsStillRoutedAndAnUnknownFormatIsDropped() {
        String domain = TestKafka.domain("format-one");
        String legacy = TestKafka.messageId("format-one");
        String future = TestKafka.messageId("format-three");
        String after = TestKafka.messageId("after-format-three");
        submitFormatOne(legacy, List.of("old@" + domain));
        java.util.Map<String, byte[]> headers = new java.util.HashMap<>(io.postway.contract.wire.MailRecords.write(
                submitted(future, List.of("new@" + domain))).headers());
        headers.put("postway-format", "3".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        kafka.sendMail(RouterTestResource.SUBMITTED, future, new io.postway.contract.wire.MailRecords.Encoded(headers, CONTENT));
        submit(after, List.of("after@" + domain));

        await().atMost(Duration.ofSeconds(20)).until(() -> kafka.jobs(legacy).size() == 1 && kafka.jobs(after).size() == 1);
        TestKafka.Seen job = kafka.jobs(legacy).get(0);
        assertArrayEquals(CONTENT, job.bytes(), "the base64 of format 1 becomes the raw value of format 2");
        assertEquals("2", job.headers().get("postway-format"));
        assertEquals(List.of("old@" + domain), texts(job.value().get("recipients")));
        assertTrue(kafka.jobs(future).isEmpty(), "a format this router does not know is not routed");
    }

    /** The performance metrics (router README, "Metrics"): the route latency histogram, the consumer lag per channel, the producer's metrics. */
    @Test
    void routeLatencyAndConsumerLagAreExported() {
        String id = TestKafka.messageId("latency");
        submit(id, List.of("l@" + TestKafka.domain("latency")));
        await().atMost(Duration.ofSeconds(20)).until(() -> kafka.jobs(id).size() == 1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().when().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("postway_router_route_latency_seconds_bucket{le="))
                .body(org.hamcrest.Matchers.matchesPattern("(?s).*\\npostway_router_route_latency_seconds_count [1-9].*"))
                .body(org.hamcrest.Matchers.containsString(
                        "kafka_consumer_fetch_manager_records_lag_max{client_id=\"kafka-consumer-mail-submitted\""))
                // the plain producer of jobs and events (KafkaRecordSink) exports its own metrics too
                .body(org.hamcrest.Matchers.containsString("kafka_producer_record_send_total{client_id=\"router-test\"")));
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
     * A router dies after writing two of a message's five jobs, before committing its offset. Here
     * the router "dies" in place: from the third job on, every write of that message fails, so its
     * record is never acknowledged. While it is not, the group's committed offset of its partition
     * stays at that record, although a later record of the same partition was routed and
     * acknowledged meanwhile: the next router of the group (whoever takes the partition over)
     * starts from it. Then writes go through again and the message, handled again as a whole,
     * gets all five jobs with the same job ids: nothing is lost, the duplicates are recognisable;
     * only then does the committed offset pass both records.
     */
    @Test
    void aRouterKilledMidMessageLosesNoJob() {
        String id = TestKafka.messageId("crash");
        String later = TestKafka.messageId("after-crash");
        List<String> domains = List.of("c1", "c2", "c3", "c4", "c5").stream().map(TestKafka::domain).toList();
        int partition = 0;

        AtomicInteger jobsWritten = new AtomicInteger();
        AtomicBoolean dead = new AtomicBoolean();
        long laterOffset;
        sink.arm(record -> {
            if (ArmableRecordSink.concerns(record, id)
                    && (dead.get() || record.topic().equals("mail.outbound") && jobsWritten.incrementAndGet() > 2)) {
                dead.set(true);
                return CompletableFuture.failedFuture(new IllegalStateException("killed"));
            }
            return sink.kafka().send(record);
        });
        try {
            long offset = kafka.sendTo(RouterTestResource.SUBMITTED, partition, id,
                    io.postway.contract.wire.MailRecords.write(submitted(id, domains.stream().map(d -> "r@" + d).toList())));
            laterOffset = kafka.sendTo(RouterTestResource.SUBMITTED, partition, later,
                    io.postway.contract.wire.MailRecords.write(submitted(later, List.of("r@" + TestKafka.domain("after-crash")))));
            await().atMost(Duration.ofSeconds(30)).until(() -> kafka.jobs(later).size() == 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> kafka.jobs(id).size() == 2);
            // commits run every 500 ms here: for three seconds none may pass the unfinished message
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() ->
                    TestKafka.committed(RouterTestResource.GROUP, RouterTestResource.SUBMITTED, partition) <= offset);
            assertEquals(2, kafka.jobs(id).size(), "a dead router writes nothing more");
        } finally {
            sink.disarm();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> kafka.jobs(id).stream().map(TestKafka::domainOf)
                .collect(Collectors.toSet()).containsAll(domains));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                TestKafka.committed(RouterTestResource.GROUP, RouterTestResource.SUBMITTED, partition) > laterOffset);
        Map<String, Set<String>> jobIdsByDomain = kafka.jobs(id).stream().collect(Collectors.groupingBy(TestKafka::domainOf,
                Collectors.mapping(s -> s.value().path("jobId").asText(), Collectors.toSet())));
        assertEquals(Set.copyOf(domains), jobIdsByDomain.keySet());
        jobIdsByDomain.forEach((d, ids) -> assertEquals(1, ids.size(), d + " got different job ids: " + ids));
        assertFalse(kafka.jobs(id).size() > 7, "only the two jobs written before the crash are repeated");
    }

    /** Failure strategy: while Kafka refuses the jobs, the message is retried, not skipped, and the channel keeps running. */
    @Test
    void aMessageIsRetriedNotSkippedWhileItsJobsCannotBeWritten() {
        String id = TestKafka.messageId("retry");
        String domain = TestKafka.domain("retry");
        AtomicInteger refusals = new AtomicInteger();
        sink.arm(record -> ArmableRecordSink.concerns(record, id) && refusals.incrementAndGet() <= 2
                ? CompletableFuture.failedFuture(new org.apache.kafka.common.errors.TimeoutException("broker unavailable"))
                : sink.kafka().send(record));
        try {
            submit(id, List.of("r@" + domain));
            await().atMost(Duration.ofSeconds(30)).until(() -> kafka.jobs(id).size() == 1);
            assertEquals(3, refusals.get(), "two refused tries, then the one that went through");
            given().when().get("/q/health/live").then().statusCode(200); // the channel still runs
        } finally {
            sink.disarm();
        }
    }

    /**
     * "Do not route until the policy cache is loaded" rests on pausable channels: both start paused
     * (configuration), and a paused channel holds its records back until it is resumed. Shown here
     * on the running router by pausing mail-submitted again.
     */
    @Test
    void aPausedChannelRoutesNothingUntilResumed() {
        for (String channel : RouterChannels.ALL) {
            assertTrue(ConfigProvider.getConfig().getValue("mp.messaging.incoming." + channel + ".initially-paused", Boolean.class),
                    channel + " starts paused");
        }
        PausableChannel channel = registry.getPausable(RouterChannels.SUBMITTED);
        String id = TestKafka.messageId("paused");
        channel.pause();
        try {
            submit(id, List.of("r@" + TestKafka.domain("paused")));
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> kafka.jobs(id).isEmpty());
        } finally {
            channel.resume();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> kafka.jobs(id).size() == 1);
    }

    /**
     * A record the router's producer refuses (here one over max.request.size, refused before it
     * leaves the client, so nothing reaches the shared topic) fails that send only: the producer
     * keeps writing, liveness stays UP.
     */
    @Test
    void aRefusedRecordFailsOnlyItsOwnSend() {
        CompletableFuture<Void> refused = sink.kafka().send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                "mail.outbound", TestKafka.domain("too-big"), new byte[21 * 1024 * 1024]));
        java.util.concurrent.ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.ExecutionException.class, () -> refused.get(60, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof org.apache.kafka.common.errors.RecordTooLargeException, e.toString());
        given().when().get("/q/health/live").then().statusCode(200);

        String id = TestKafka.messageId("after-refused");
        submit(id, List.of("r@" + TestKafka.domain("after-refused")));
        await().atMost(Duration.ofSeconds(20)).until(() -> kafka.jobs(id).size() == 1);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
