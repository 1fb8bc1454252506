package io.postway.router.it;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.postway.contract.wire.MailRecords;
import io.postway.testkit.PostwayInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
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
@TestProfile(TraceContextTest.TracingOn.class)
@QuarkusTestResource(value = PostwayInfraResource.class, initArgs = @ResourceArg(name = "database", value = "postway_router_test"))
@QuarkusTestResource(RouterTestResource.class)
class TraceContextTest extends RouterTestSupport {

    public static class TracingOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // the in-memory exporter only: nothing tries a collector
            return Map.of("quarkus.otel.sdk.disabled", "false", "quarkus.otel.exporter.otlp.enabled", "false");
        }
    }

    /** The spans stay in memory (the exporter Quarkus takes from CDI), nothing is sent anywhere. */
    @Singleton
    public static class Spans {
        @Produces
        @Singleton
        InMemorySpanExporter exporter() {
            return InMemorySpanExporter.create();
        }
    }

    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Inject
    InMemorySpanExporter spans;

    @Test
    void theJobsOfARecordCarryItsTraceOn() {
        String id = TestKafka.messageId("traced");
        String domain = TestKafka.domain("traced");
        MailRecords.Encoded mail = MailRecords.write(submitted(id, List.of("a@" + domain)));
        Map<String, byte[]> headers = new HashMap<>(mail.headers());
        headers.put("traceparent", ("00-" + TRACE_ID + "-00f067aa0ba902b7-01").getBytes(StandardCharsets.US_ASCII));
        kafka.sendMail(RouterTestResource.SUBMITTED, id, new MailRecords.Encoded(headers, mail.value()));

        await().atMost(Duration.ofSeconds(20)).until(() -> !kafka.jobs(id).isEmpty());
        String traceparent = kafka.jobs(id).get(0).headers().get("traceparent");
        assertTrue(traceparent != null && traceparent.startsWith("00-" + TRACE_ID + "-"), "the job continues the trace: " + traceparent);
        assertNotEquals("00f067aa0ba902b7", traceparent.split("-")[2], "as a child of the router's span, not a copy of the parent");
        await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().stream()
                .anyMatch(s -> s.getTraceId().equals(TRACE_ID) && s.getName().contains(RouterTestResource.SUBMITTED)));
    }
}
