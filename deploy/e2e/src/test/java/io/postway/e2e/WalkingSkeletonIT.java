package io.postway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The walking skeleton, end to end through the packaged services: a message POSTed to the intake
 * crosses the real Kafka broker, is routed under a policy stored in the real PostgreSQL, is
 * delivered over STARTTLS to a real Postfix, and a {@code postway.delivery.delivered} event appears
 * on {@code mail.delivery-events}.
 */
class WalkingSkeletonIT {

    private static StackFixture stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = StackFixture.shared();
    }

    @Test
    void deliversOverStartTlsToPostfixAndEmitsDeliveredEvent() {
        String domain = "e2e-" + UUID.randomUUID().toString().substring(0, 8) + ".peer.test";
        String marker = UUID.randomUUID().toString();

        given().baseUri(StackFixture.POLICY).header("Authorization", StackFixture.ADMIN).contentType(ContentType.JSON)
                .body(Map.of(
                        "tls", Map.of("mode", "REQUIRED", "verify", "NONE", "minVersion", "TLSv1.2"),
                        "route", Map.of("smartHost", "127.0.0.1:" + stack.peerPort("STARTTLS"))))
                .put("/v1/policies/" + domain)
                .then().statusCode(anyOf(equalTo(200), equalTo(201)));

        String id = given().baseUri(StackFixture.INTAKE).header("Authorization", StackFixture.CLIENT).contentType(ContentType.JSON)
                .body(Map.of(
                        "from", "Contoso IT <it@contoso.test>",
                        "to", List.of("user@" + domain),
                        "subject", "Password reset " + marker,
                        "text", "Your reset code is " + marker))
                .post("/v1/messages")
                .then().statusCode(202).body("status", equalTo("ACCEPTED"))
                .extract().path("id");

        JsonNode delivered = stack.awaitEvent(id, "postway.delivery.delivered");
        JsonNode data = delivered.get("data");
        assertEquals("user@" + domain, delivered.get("subject").asText());
        assertEquals(domain, data.get("policy").get("rule").asText());
        assertTrue(data.get("tls").get("used").asBoolean(), "delivered over TLS: " + data);
        assertTrue(data.get("tls").get("protocol").asText().startsWith("TLSv1."), "protocol reported: " + data);

        String message = stack.awaitInMaildir(marker);
        assertTrue(message.contains("Subject: Password reset " + marker), message);
        assertTrue(message.contains("ESMTPS"), "Postfix received it over TLS: " + message);

        // the intake's status view is a projection of the same events, read by its own consumer
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).untilAsserted(() ->
                given().baseUri(StackFixture.INTAKE).header("Authorization", StackFixture.CLIENT)
                        .get("/v1/messages/" + id)
                        .then().statusCode(200).body("recipients[0].status", equalTo("DELIVERED")));
    }
}
