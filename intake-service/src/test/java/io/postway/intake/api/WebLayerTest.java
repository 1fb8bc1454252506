package io.postway.intake.api;

import io.postway.intake.IntakeTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one web layer (deploy/web) as the intake answers: bearer keys, protected paths, problem+json. */
@QuarkusTest
@QuarkusTestResource(value = IntakeTestResource.class, initArgs = @ResourceArg(name = "database", value = "postway_intake_test"))
class WebLayerTest {

    static final String PROBLEM = "application/problem+json";
    static final String TYPES = "https://postway.io/problems/";
    static final String CLIENT = "Bearer test-local-key";

    @Test
    void aMissingOrUnknownKeyIs401WithTheBearerChallenge() {
        given().contentType("application/json").body("{}").post("/v1/messages").then().statusCode(401).contentType(PROBLEM)
                .header("WWW-Authenticate", "Bearer realm=\"postway\"")
                .body("type", equalTo(TYPES + "unauthorized")).body("status", equalTo(401));
        given().header("Authorization", "Bearer wrong").get("/v1/messages/x").then().statusCode(401).contentType(PROBLEM)
                .header("WWW-Authenticate", "Bearer realm=\"postway\"").body("detail", containsString("not known"));
    }

    @Test
    void everythingUnderV1AndInternalNeedsAKeyEvenWhereNothingIs() {
        given().get("/v1/nothing-here").then().statusCode(401).contentType(PROBLEM);
        given().get("/internal/nothing-here").then().statusCode(401).contentType(PROBLEM);
    }

    @Test
    void aClientKeyWhereAnAdminRoleIsNeededIs403() {
        given().header("Authorization", CLIENT).get("/v1/test-only/admin").then().statusCode(403).contentType(PROBLEM)
                .body("type", equalTo(TYPES + "forbidden")).body("status", equalTo(403));
    }

    @Test
    void anUnknownPathIs404AndAWrongMethod405InTheOneScheme() {
        given().header("Authorization", CLIENT).get("/v1/nothing-here").then().statusCode(404).contentType(PROBLEM)
                .body("type", equalTo(TYPES + "not-found")).body("status", equalTo(404));
        given().header("Authorization", CLIENT).delete("/v1/messages").then().statusCode(405).contentType(PROBLEM)
                .body("type", equalTo(TYPES + "method-not-allowed"));
    }

    @Test
    void anUnexpectedFailureIs500WithAnErrorIdAndNotItsText() {
        Response r = given().header("Authorization", CLIENT).get("/v1/test-only/failure");
        r.then().statusCode(500).contentType(PROBLEM).body("type", equalTo(TYPES + "internal"))
                .body("errorId", notNullValue()).header("Retry-After", (String) null);
        assertTrue(r.<String>path("detail").contains(r.<String>path("errorId")), "the detail names the error id");
        assertFalse(r.asString().contains(TestOnlyResource.SECRET_TEXT), "the exception text stays in the log");
    }

    @Test
    void theIntakesOwnRefusalsKeepTheirTypes() {
        given().header("Authorization", CLIENT).contentType("text/plain").body("hi").post("/v1/messages")
                .then().statusCode(415).contentType(PROBLEM).body("type", equalTo(TYPES + "unsupported-media-type"));
        given().header("Authorization", CLIENT).contentType("application/json").body("{").post("/v1/messages")
                .then().statusCode(400).contentType(PROBLEM).body("type", equalTo(TYPES + "invalid-message"));
        given().header("Authorization", "Bearer test-contoso-key").contentType("application/json")
                .body("{\"from\":\"it@fabrikam.test\",\"to\":[\"a@b.test\"],\"subject\":\"s\",\"text\":\"t\"}").post("/v1/messages")
                .then().statusCode(403).contentType(PROBLEM).body("type", equalTo(TYPES + "sender-domain-not-allowed"));
    }

    /** A malformed header or parameter is the request's fault, not the message's: the generic 400. */
    @Test
    void aMalformedIdempotencyKeyOrEnvelopeParameterIsAnInvalidRequest() {
        given().header("Authorization", CLIENT).header("Idempotency-Key", "with space").contentType("application/json")
                .body("{\"from\":\"it@a.test\",\"to\":[\"b@a.test\"],\"subject\":\"s\",\"text\":\"t\"}").post("/v1/messages")
                .then().statusCode(400).contentType(PROBLEM).body("type", equalTo(TYPES + "validation"))
                .body("title", equalTo("Invalid request")).body("errors[0].field", equalTo("Idempotency-Key"));
        given().header("Authorization", CLIENT).queryParam("from", "it@a.test").contentType("application/json")
                .body("{\"from\":\"it@a.test\",\"to\":[\"b@a.test\"],\"subject\":\"s\",\"text\":\"t\"}").post("/v1/messages")
                .then().statusCode(400).contentType(PROBLEM).body("type", equalTo(TYPES + "validation"))
                .body("errors[0].field", equalTo("from"));
    }

    @Test
    void healthNeedsNoKey() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200);
        given().header("Authorization", "Bearer wrong").get("/q/health/live").then().statusCode(200);
    }
}
