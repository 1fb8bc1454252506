package io.postway.testkit;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The test profile of the trace-context tests: tracing on, spans kept by the test's own in-memory
 * exporter (a CDI producer in the test, so Quarkus finds it), nothing sent to a collector; and the
 * W3C {@code traceparent} those tests start their trace with.
 */
public class TracingOn implements QuarkusTestProfile {

    /** The trace id every trace-context test expects to see continued. */
    public static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    /** A sampled W3C {@code traceparent} of {@link #TRACE_ID}. */
    public static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.otel.sdk.disabled", "false", "quarkus.otel.exporter.otlp.enabled", "false",
                "mp.messaging.connector.smallrye-kafka.tracing-enabled", "true");
    }
}
