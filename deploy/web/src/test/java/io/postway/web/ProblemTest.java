package io.postway.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProblemTest {

    final ObjectMapper json = new ObjectMapper();

    @Test
    void serialisesTheRfc9457MembersWithExtensionsAtTheTopLevel() throws Exception {
        Problem p = Problem.of(ProblemType.CONFLICT, "two rules disagree")
                .withErrors(List.of(new Problem.FieldError("tls.mode", "required")))
                .with("conflicts", List.of(Map.of("rule", "a.test")))
                .with("currentVersion", null);
        JsonNode n = json.readTree(json.writeValueAsString(p));
        assertEquals("https://postway.io/problems/conflict", n.path("type").asText());
        assertEquals("Conflict", n.path("title").asText());
        assertEquals(409, n.path("status").asInt());
        assertEquals("two rules disagree", n.path("detail").asText());
        assertEquals("tls.mode", n.path("errors").path(0).path("field").asText());
        assertEquals("a.test", n.path("conflicts").path(0).path("rule").asText());
        assertFalse(n.has("currentVersion"), "a null member is left out");
        assertFalse(n.has("extensions"), "extensions are members, not a member");
        assertEquals(List.of("type", "title", "status", "detail", "errors", "conflicts"), fieldNames(n));
    }

    @Test
    void leavesOutEmptyErrors() throws Exception {
        JsonNode n = json.readTree(json.writeValueAsString(Problem.of(ProblemType.NOT_FOUND, "none").withErrors(List.of())));
        assertFalse(n.has("errors"));
    }

    @Test
    void everySlugIsUniqueAndLivesUnderTheOneBase() {
        Set<String> slugs = Arrays.stream(ProblemType.values()).map(ProblemType::slug).collect(Collectors.toSet());
        assertEquals(ProblemType.values().length, slugs.size());
        for (ProblemType t : ProblemType.values()) {
            assertTrue(t.uri().toString().matches("https://postway\\.io/problems/[a-z]+(-[a-z]+)*"), t.uri().toString());
        }
    }

    @Test
    void frameworkStatusesMapToTheGenericTypes() {
        assertEquals(ProblemType.NOT_FOUND, ProblemType.forStatus(404));
        assertEquals(ProblemType.METHOD_NOT_ALLOWED, ProblemType.forStatus(405));
        assertEquals(ProblemType.REFUSED, ProblemType.forStatus(429));
        assertEquals(ProblemType.REFUSED, ProblemType.forStatus(428), "no type of its own: nothing answers 428");
        assertEquals(ProblemType.INTERNAL, ProblemType.forStatus(502));
    }

    @Test
    void serviceUnavailableAlwaysCarriesRetryAfter() {
        var r = new ServiceUnavailable("Kafka is down", Duration.ofSeconds(7)).response();
        assertEquals(503, r.getStatus());
        assertEquals("7", r.getHeaderString("Retry-After"));
        assertEquals("5", new ServiceUnavailable("down").response().getHeaderString("Retry-After"));
    }

    /** Outside JAX-RS a problem answers as it would from a resource: status, media type, the same members. */
    @Test
    void writesItselfToAVertxResponse() throws Exception {
        Problem p = Problem.of(ProblemType.MESSAGE_TOO_LARGE, "too big")
                .withErrors(List.of(new Problem.FieldError("content", "larger than 10 bytes")));
        Vertx vertx = Vertx.vertx();
        try {
            HttpServer server = vertx.createHttpServer()
                    .requestHandler(req -> {
                        req.response().putHeader("X-Before", "kept");
                        p.writeTo(req.response());
                    })
                    .listen(0).toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
            HttpResponse<String> answer = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(413, answer.statusCode());
            assertEquals(Problem.MEDIA_TYPE, answer.headers().firstValue("Content-Type").orElse(null));
            assertEquals("kept", answer.headers().firstValue("X-Before").orElse(null), "headers set before stay");
            assertEquals(json.readTree(json.writeValueAsString(p)), json.readTree(answer.body()));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
