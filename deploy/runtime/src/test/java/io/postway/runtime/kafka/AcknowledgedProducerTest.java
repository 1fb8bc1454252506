package io.postway.runtime.kafka;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AcknowledgedProducerTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN_ID = "00f067aa0ba902b7";
    private static final OpenTelemetry W3C = OpenTelemetry.propagating(ContextPropagators.create(W3CTraceContextPropagator.getInstance()));

    private final MockProducer<String, String> broker = new MockProducer<>(false, null, new StringSerializer(), new StringSerializer());
    /** The completions, run when the test says (a service's completion thread). */
    private final List<Runnable> completions = new ArrayList<>();
    private final Executor completionThread = completions::add;

    @Test
    void aSendCompletesOnlyOnceTheBrokerAcknowledgedIt() {
        try (AcknowledgedProducer<String> producer = new AcknowledgedProducer<>(broker, new SimpleMeterRegistry(), OpenTelemetry.noop(), completionThread)) {
            CompletableFuture<Void> acked = producer.send(new ProducerRecord<>("mail.outbound", "job-1", "{}"), Context.root());
            assertTrue(completions.isEmpty());
            broker.completeNext();
            assertFalse(acked.isDone(), "completed on the given executor, not on the producer's thread");
            completions.forEach(Runnable::run);
            assertTrue(acked.isDone() && !acked.isCompletedExceptionally());
            assertEquals(List.of("job-1"), broker.history().stream().map(ProducerRecord::key).toList());
        }
        assertTrue(broker.closed(), "closing it closes the producer");
    }

    @Test
    void aSendTheProducerGaveUpFailsWithItsReason() {
        try (AcknowledgedProducer<String> producer = new AcknowledgedProducer<>(broker, new SimpleMeterRegistry(), OpenTelemetry.noop(), Runnable::run)) {
            CompletableFuture<Void> acked = producer.send(new ProducerRecord<>("mail.outbound", "job-1", "{}"), Context.root());
            broker.errorNext(new TimeoutException("delivery.timeout.ms"));
            ExecutionException failure = assertThrows(ExecutionException.class, acked::get);
            assertInstanceOf(TimeoutException.class, failure.getCause());
        }
    }

    @Test
    void aSendToAClosedProducerFailsItsStageInsteadOfThrowing() {
        AcknowledgedProducer<String> producer = new AcknowledgedProducer<>(broker, new SimpleMeterRegistry(), OpenTelemetry.noop(), Runnable::run);
        producer.close();
        CompletableFuture<Void> acked = producer.send(new ProducerRecord<>("mail.outbound", "job-1", "{}"), Context.root());
        assertTrue(acked.isCompletedExceptionally());
    }

    @Test
    void theTraceGoesIntoTheHeadersOnceEvenWhenTheRecordIsSentAgain() {
        Context trace = Context.root().with(Span.wrap(SpanContext.create(TRACE_ID, SPAN_ID, TraceFlags.getSampled(), TraceState.getDefault())));
        ProducerRecord<String, String> record = new ProducerRecord<>("mail.delivery-events", "m-1", "{}");
        record.headers().add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
        try (AcknowledgedProducer<String> producer = new AcknowledgedProducer<>(broker, new SimpleMeterRegistry(), W3C, Runnable::run)) {
            producer.send(record, trace);
            producer.send(record, trace);
        }
        List<Header> traceparents = new ArrayList<>();
        record.headers().headers("traceparent").forEach(traceparents::add);
        assertEquals(1, traceparents.size());
        assertEquals("00-" + TRACE_ID + "-" + SPAN_ID + "-01", new String(traceparents.get(0).value(), StandardCharsets.UTF_8));
        assertEquals("1.0", new String(record.headers().lastHeader("ce_specversion").value(), StandardCharsets.UTF_8), "the record's own headers stay");
    }
}
