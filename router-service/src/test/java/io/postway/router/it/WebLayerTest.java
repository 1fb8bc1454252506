package io.postway.router.it;

import io.postway.testkit.PostwayInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one web layer (deploy/web) as the router answers: bearer keys, protected paths, problem+json. */
@QuarkusTest
@QuarkusTestResource(value = PostwayInfraResource.class, initArgs = @ResourceArg(name = "database", value = "postway_router_test"))
@QuarkusTestResource(RouterTestResource.class)
class WebLayerTest {

    static final String PROBLEM = "application/problem+json";
    static final String TYPES = "https://postway.io/problems/";
    static final String ADMIN = "Bearer local-admin-key";
    static final String CLIENT = "Bearer local-client-key";

    @Test
    void aMissingOrUnknownKeyIs401WithTheBearerChallenge() {
        given().get("/v1/queue").then().statusCode(401).contentType(PROBLEM)
                .header("WWW-Authenticate", "Bearer realm=\"postway\"")
                .body("type", equalTo(TYPES + "unauthorized")).body("status", equalTo(401));
        given().header("Authorization", "Bearer wrong").get("/v1/queue").then().statusCode(401).contentType(PROBLEM)
                .header("WWW-Authenticate", "Bearer realm=\"postway\"").body("detail", containsString("not known"));
    }

    @Test
    void everythingUnderV1AndInternalNeedsAKeyEvenWhereNothingIs() {
        given().get("/v1/nothing-here").then().statusCode(401).contentType(PROBLEM);
        given().get("/internal/anything").then().statusCode(401).contentType(PROBLEM);
    }

    @Test
    void aClientKeyOnTheAdminApiIs403() {
        given().header("Authorization", CLIENT).get("/v1/queue").then().statusCode(403).contentType(PROBLEM)
                .body("type", equalTo(TYPES + "forbidden")).body("status", equalTo(403));
    }

    @Test
    void anUnknownPathIs404AndAWrongMethod405InTheOneScheme() {
        given().header("Authorization", ADMIN).get("/v1/nothing-here").then().statusCode(404).contentType(PROBLEM)
                .body("type", equalTo(TYPES + "not-found")).body("status", equalTo(404));
        given().header("Authorization", ADMIN).put("/v1/queue").then().statusCode(405).contentType(PROBLEM)
                .body("type", equalTo(TYPES + "method-not-allowed"));
    }

    @Test
    void anUnexpectedFailureIs500WithAnErrorIdAndNotItsText() {
        Response r = given().header("Authorization", ADMIN).get("/v1/test-only/failure");
        r.then().statusCode(500).contentType(PROBLEM).body("type", equalTo(TYPES + "internal"))
                .body("errorId", notNullValue()).header("Retry-After", (String) null);
        String errorId = r.path("errorId");
        assertTrue(r.<String>path("detail").contains(errorId), "the detail names the error id");
        assertFalse(r.asString().contains(TestOnlyResource.SECRET_TEXT), "the exception text stays in the log");
    }

    @Test
    void malformedOrMistypedJsonIs400Validation() {
        given().header("Authorization", ADMIN).contentType("application/json").body("{\"count\": ").post("/v1/test-only/echo")
                .then().statusCode(400).contentType(PROBLEM).body("type", equalTo(TYPES + "validation"))
                .body("errors[0].field", equalTo("body"));
        given().header("Authorization", ADMIN).contentType("application/json").body("{\"count\": \"many\"}").post("/v1/test-only/echo")
                .then().statusCode(400).contentType(PROBLEM).body("type", equalTo(TYPES + "validation"))
                .body("errors[0].field", equalTo("count")).body(not(containsString("many")));
        given().header("Authorization", ADMIN).contentType("application/json").body("{\"count\": 3}").post("/v1/test-only/echo")
                .then().statusCode(200).body(equalTo("3"));
    }

    @Test
    void healthNeedsNoKey() {
        given().get("/q/health/ready").then().statusCode(anyOf(equalTo(200), equalTo(503)))
                .body("checks", notNullValue()).header("WWW-Authenticate", (String) null);
        given().get("/q/health/live").then().statusCode(200);
        given().header("Authorization", "Bearer wrong").get("/q/health/live").then().statusCode(200);
    }
}
