package io.postway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The story Postway was built for, through the whole packaged stack: TLS 1.2+ is required, the
 * partner's server only speaks TLS 1.0, so the mail waits with a diagnosis that names the version
 * mismatch; the administrator turns TLS off for that one domain, flushes the queue, and the mail
 * that was already waiting leaves in plain text under the new policy, and the event says so.
 */
class SeedStoryIT {

    private static StackFixture stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = StackFixture.shared();
    }

    @Test
    void mailWaitingForATls10OnlyServerLeavesInPlainTextAfterAPolicyFixAndAFlush() {
        String domain = "fabrikam-" + UUID.randomUUID().toString().substring(0, 8) + ".test";
        String marker = UUID.randomUUID().toString();
        String oldServer = "127.0.0.1:" + stack.peerPort("TLS10");

        String etag = given().baseUri(StackFixture.POLICY).header("Authorization", StackFixture.ADMIN).contentType(ContentType.JSON)
                .body(Map.of(
                        "tls", Map.of("mode", "REQUIRED", "minVersion", "TLSv1.2", "maxVersion", "TLSv1.3"),
                        "route", Map.of("smartHost", oldServer),
                        "retry", Map.of("intervals", List.of("PT1H"), "expireAfter", "P2D")))
                .put("/v1/policies/" + domain)
                .then().statusCode(201).extract().header("ETag");

        String id = given().baseUri(StackFixture.INTAKE).header("Authorization", StackFixture.CLIENT).contentType(ContentType.JSON)
                .body(Map.of("from", "it@contoso.test", "to", List.of("user@" + domain),
                        "subject", "Invoice " + marker, "text", "see attachment " + marker))
                .post("/v1/messages")
                .then().statusCode(202).extract().path("id");

        JsonNode deferred = stack.awaitEvent(id, "postway.delivery.deferred").get("data");
        assertEquals("DEFERRED", deferred.get("status").asText());
        assertEquals("TLS_HANDSHAKE", deferred.get("smtp").get("stage").asText(), deferred.toString());
        assertFalse(deferred.get("tls").get("used").asBoolean());
        assertEquals("validation-failure", deferred.get("failureType").asText(), "RFC 8460's name for the failed negotiation");
        String diagnosis = deferred.get("diagnosis").asText();
        assertTrue(diagnosis.contains("protocol_version") && diagnosis.contains("TLSv1.2"),
                "the diagnosis names the version mismatch and what the policy allowed: " + diagnosis);
        assertTrue(!deferred.get("nextAttemptAt").isNull(), deferred.toString());

        // the mail waits in the router's queue, an hour away from its next attempt
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).untilAsserted(() ->
                given().baseUri(StackFixture.ROUTER).header("Authorization", StackFixture.ADMIN)
                        .queryParam("domain", domain).get("/v1/queue")
                        .then().statusCode(200).body("entries.messageId", hasItem(id)));

        // the seed's fix: this one domain goes without TLS
        given().baseUri(StackFixture.POLICY).header("Authorization", StackFixture.ADMIN).contentType(ContentType.JSON)
                .header("If-Match", etag)
                .body(Map.of(
                        "tls", Map.of("mode", "DISABLED"),
                        "route", Map.of("smartHost", oldServer),
                        "retry", Map.of("intervals", List.of("PT1H"), "expireAfter", "P2D")))
                .put("/v1/policies/" + domain)
                .then().statusCode(200).body("version", equalTo(2));

        // the router's policy cache follows the topic within a second; a flush makes the entry due
        // now. A flush that raced ahead of the cache defers once more and waits again: flush again.
        JsonNode delivered = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(120))
                .pollInterval(java.time.Duration.ofMillis(100)).until(() -> {
                    given().baseUri(StackFixture.ROUTER).header("Authorization", StackFixture.ADMIN)
                            .queryParam("domain", domain).post("/v1/queue/flush")
                            .then().statusCode(200);
                    return stack.findEvent(id, "postway.delivery.delivered", java.time.Duration.ofSeconds(5));
                }, java.util.Optional::isPresent).get().get("data");
        assertTrue(delivered.get("attempt").asInt() >= 2, delivered.toString());
        assertEquals("DISABLED", delivered.get("policy").get("tlsMode").asText());
        assertEquals(2, delivered.get("policy").get("version").asInt());
        assertFalse(delivered.get("tls").get("used").asBoolean());

        String message = stack.awaitInMaildir(marker);
        assertTrue(message.contains("Subject: Invoice " + marker), message);
        assertFalse(message.contains("ESMTPS"), "Postfix received it in plain text: " + message);
    }
}
