package io.postway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.postway.contract.event.EventType;
import io.postway.testkit.ContractSchemas;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A remote-login password goes the whole way sealed: set through the policy API, encrypted by
 * policy-service (the contract's secret format, the rule as AAD), carried encrypted on
 * {@code mail.policy-changes} and {@code mail.outbound}, opened only by delivery, which logs in to a
 * Postfix peer that relays only after AUTH. The password appears in clear on no topic.
 */
class RemoteLoginIT {

    private static StackFixture stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = StackFixture.shared();
    }

    @Test
    void aPasswordSealedByPolicyServiceOpensInDeliveryAndNeverTravelsInClear() {
        String domain = "login-" + UUID.randomUUID().toString().substring(0, 8) + ".test";
        String marker = UUID.randomUUID().toString();
        String user = stack.peers.get("PEERS_SASL_USER");
        String password = stack.peers.get("PEERS_SASL_PASSWORD");

        given().baseUri(StackFixture.POLICY).header("Authorization", StackFixture.ADMIN).contentType(ContentType.JSON)
                .body(Map.of(
                        "tls", Map.of("mode", "REQUIRED", "verify", "NONE"),
                        "auth", Map.of("method", "PLAIN", "username", user, "password", password),
                        "route", Map.of("smartHost", "127.0.0.1:" + stack.peerPort("AUTH"))))
                .put("/v1/policies/" + domain)
                .then().statusCode(201).body("auth.password", org.hamcrest.Matchers.nullValue())
                .body("auth.passwordSet", org.hamcrest.Matchers.equalTo(true));

        String id = given().baseUri(StackFixture.INTAKE).header("Authorization", StackFixture.CLIENT).contentType(ContentType.JSON)
                .body(Map.of("from", "it@contoso.test", "to", List.of("user@" + domain),
                        "subject", "Login " + marker, "text", "relayed after AUTH " + marker))
                .post("/v1/messages")
                .then().statusCode(202).extract().path("id");

        JsonNode delivered = stack.awaitEvent(id, EventType.DELIVERED.type()).get("data");
        assertEquals(domain, delivered.get("policy").get("rule").asText());
        assertTrue(delivered.get("transcript").toString().contains("AUTH PLAIN"), delivered.toString());
        assertFalse(delivered.toString().contains(password), "the event carries no password: " + delivered);

        String message = stack.awaitInMaildir(marker);
        assertTrue(message.contains("ESMTPSA"), "Postfix relayed it after AUTH over TLS: " + message);

        for (String topic : ContractSchemas.TOPICS) {
            for (ConsumerRecord<String, byte[]> r : stack.recordsSinceStart(topic)) {
                assertFalse(headersAndValue(r).contains(password), "the password in clear on " + topic + " (key " + r.key() + ")");
            }
        }
        // wire format 2: the job's policy travels in its postway-metadata header
        assertTrue(stack.recordsSinceStart(io.postway.contract.Topics.OUTBOUND).stream()
                        .anyMatch(r -> io.postway.contract.OutboundKey.domainOf(r.key()).equals(domain) && headersAndValue(r).contains("\"passwordEncrypted\":\"v1:")),
                "the job carried the password sealed");
    }

    /** Everything a record carries, as text: its headers (mail.outbound's metadata among them) and its value. */
    private static String headersAndValue(ConsumerRecord<String, byte[]> r) {
        return io.postway.testkit.TopicRecords.headers(r) + (r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8));
    }
}
