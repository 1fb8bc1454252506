package io.postway.router.it;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.postway.contract.wire.MailRecords;
import io.postway.testkit.PostwayInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.postway.testkit.TracingOn;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With tracing on, a mail.submitted record carrying a W3C {@code traceparent} (as intake writes it)
 * is routed inside that trace: the router's spans and the {@code traceparent} of the jobs it writes
 * on mail.outbound (which delivery continues) have the incoming trace id.
 */
@QuarkusTest
@TestProfile(TracingOn.class)
@QuarkusTestResource(value = PostwayInfraResource.class, initArgs = @ResourceArg(name = "database", value = "postway_router_test"))
@QuarkusTestResource(RouterTestResource.class)
class TraceContextTest extends RouterTestSupport {

    /** The spans stay in memory (the exporter Quarkus takes from CDI), nothing is sent anywhere. */
    @Singleton
    public static class Spans {
        @Produces
        @Singleton
        InMemorySpanExporter exporter() {
            return InMemorySpanExporter.create();
        }
    }

    @Inject
    InMemorySpanExporter spans;

    @Test
    void theJobsOfARecordCarryItsTraceOn() {
        String id = TestKafka.messageId("traced");
        String domain = TestKafka.domain("traced");
        MailRecords.Encoded mail = MailRecords.write(submitted(id, List.of("a@" + domain)));
        Map<String, byte[]> headers = new HashMap<>(mail.headers());
        headers.put("traceparent", TracingOn.TRACEPARENT.getBytes(StandardCharsets.US_ASCII));
        kafka.sendMail(RouterTestResource.SUBMITTED, id, new MailRecords.Encoded(headers, mail.value()));

        await().atMost(Duration.ofSeconds(20)).until(() -> !kafka.jobs(id).isEmpty());
        String traceparent = kafka.jobs(id).get(0).headers().get("traceparent");
        assertTrue(traceparent != null && traceparent.startsWith("00-" + TracingOn.TRACE_ID + "-"), "the job continues the trace: " + traceparent);
        assertNotEquals("00f067aa0ba902b7", traceparent.split("-")[2], "as a child of the router's span, not a copy of the parent");
        await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().stream()
                .anyMatch(s -> s.getTraceId().equals(TracingOn.TRACE_ID) && s.getName().contains(RouterTestResource.SUBMITTED)));
    }
}
