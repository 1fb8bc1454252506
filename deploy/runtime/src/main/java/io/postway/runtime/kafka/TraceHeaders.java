package io.postway.runtime.kafka;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapSetter;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;

/**
 * The trace context in a record's headers (W3C {@code traceparent}/{@code tracestate} with the
 * default propagators), for the plain producers, which no instrumentation wraps: the next service
 * continues the trace from them. The propagator adds nothing while tracing is off.
 */
public final class TraceHeaders {

    /** One header per key, UTF-8: a record sent again (a retried input) replaces its old value. */
    static final TextMapSetter<Headers> SETTER =
            (headers, key, value) -> headers.remove(key).add(key, value.getBytes(StandardCharsets.UTF_8));

    private TraceHeaders() {
    }

    /** Puts {@code trace} (the span or the input record's context) into {@code headers}. */
    public static void inject(OpenTelemetry telemetry, Context trace, Headers headers) {
        telemetry.getPropagators().getTextMapPropagator().inject(trace, headers, SETTER);
    }
}
