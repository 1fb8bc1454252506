package io.postway.intake.api;

import io.postway.web.Problem;
import io.postway.web.ProblemType;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;

/**
 * Refuses a request whose declared {@code Content-Length} exceeds
 * {@code quarkus.http.limits.max-body-size} with a 413 problem+json, before Quarkus's own limit
 * check answers the same with an empty body (a route ordered ahead of it). The body is not read:
 * the connection is closed after the answer. A chunked body without a length that grows past the
 * limit is still cut off by Quarkus itself (plain 413).
 */
@ApplicationScoped
public class BodyLimitFilter {

    /** Ahead of Quarkus's upload-limit route, behind nothing that matters for a refusal. */
    static final int ORDER = Integer.MIN_VALUE + 100;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBodySize;

    void install(@Observes Router router) {
        long limit = maxBodySize.asLongValue();
        router.route().order(ORDER).handler(ctx -> refuseWhenDeclaredTooLarge(ctx, limit));
    }

    private void refuseWhenDeclaredTooLarge(RoutingContext ctx, long limit) {
        String declared = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        long length;
        try {
            length = declared == null ? -1 : Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            length = -1; // Vert.x's HTTP codec refuses a malformed length itself
        }
        if (length <= limit) {
            ctx.next();
            return;
        }
        // the unread body must not be taken for the next request on this connection
        ctx.response().endHandler(v -> ctx.request().connection().close());
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        Problem.of(ProblemType.MESSAGE_TOO_LARGE,
                        "The request body is " + length + " bytes; this intake reads at most " + limit + " bytes.")
                .withErrors(List.of(new Problem.FieldError("content", "larger than " + limit + " bytes")))
                .writeTo(ctx.response());
    }
}
