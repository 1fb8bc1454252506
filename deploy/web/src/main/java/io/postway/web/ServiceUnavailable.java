package io.postway.web;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.time.Duration;

/**
 * THE way to answer 503: a dependency this request needs is unavailable (Kafka did not acknowledge,
 * PostgreSQL cannot be reached). Always carries {@code Retry-After}.
 * Anything else unexpected is a 500 {@code internal}.
 */
public class ServiceUnavailable extends ProblemException {

    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

    private final Duration retryAfter;

    public ServiceUnavailable(String detail, Duration retryAfter) {
        super(Problem.of(ProblemType.UNAVAILABLE, detail));
        this.retryAfter = retryAfter;
    }

    public ServiceUnavailable(String detail) {
        this(detail, DEFAULT_RETRY_AFTER);
    }

    @Override
    public Response response() {
        return Response.fromResponse(super.response())
                .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds()))).build();
    }
}
