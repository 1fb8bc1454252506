package io.postway.intake.messaging;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.postway.contract.Topics;
import io.postway.intake.IntakeTestResource;
import io.postway.testkit.TopicRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.postway.testkit.TracingOn;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With tracing on, a submission made inside a trace (the client's W3C {@code traceparent}) is
 * written to mail.submitted with that trace's {@code traceparent}, which the router continues.
 */
@QuarkusTest
@TestProfile(TracingOn.class)
@QuarkusTestResource(value = IntakeTestResource.class, initArgs = @ResourceArg(name = "database", value = "postway_intake_test"))
class TraceContextTest {

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
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    @Test
    void theSubmittedRecordCarriesTheTraceOfTheRequest() {
        Map<TopicPartition, Long> marks = TopicRecords.endOffsets(String.valueOf(kafka.get("bootstrap.servers")), Topics.SUBMITTED);
        String id = given().header("Authorization", "Bearer test-local-key")
                .header("traceparent", TracingOn.TRACEPARENT)
                .contentType("application/json")
                .body(Map.of("from", "it@contoso.test", "to", List.of("u@fabrikam.test"), "subject", "traced", "text", "x"))
                .post("/v1/messages").then().statusCode(202).extract().path("id");

        List<ConsumerRecord<String, byte[]>> records = TopicRecords.readAfter(kafka, Topics.SUBMITTED, marks, Duration.ofSeconds(30))
                .stream().filter(r -> id.equals(r.key())).toList();
        assertEquals(1, records.size());
        Header traceparent = records.get(0).headers().lastHeader("traceparent");
        assertNotNull(traceparent, "the record carries the trace context");
        String value = new String(traceparent.value(), StandardCharsets.US_ASCII);
        assertTrue(value.startsWith("00-" + TracingOn.TRACE_ID + "-"), "the record continues the request's trace: " + value);
    }
}
