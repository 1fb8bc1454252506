package io.postway.policy.api;

import io.postway.testkit.PostwayInfraResource;
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

/** The one web layer (deploy/web) as the policy service answers: bearer keys, protected paths, problem+json. */
@QuarkusTest
@QuarkusTestResource(value = PostwayInfraResource.class, initArgs = @ResourceArg(name = "database", value = "postway_policy_test"))
class WebLayerTest {

    static final String PROBLEM = "application/problem+json";
    static final String TYPES = "https://postway.io/problems/";
    static final String ADMIN = "Bearer local-admin-key";
    static final String CLIENT = "Bearer local-client-key";

    @Test
    void aMissingOrUnknownKeyIs401WithTheBearerChallenge() {
        given().get("/v1/policies").then().statusCode(401).contentType(PROBLEM)
                .header("WWW-Authenticate", "Bearer realm=\"postway\"")
                .body("type", equalTo(TYPES + "unauthorized")).body("status", equalTo(401));
        given().header("Authorization", "Bearer wrong").get("/internal/v1/published-policies").then().statusCode(401)
                .contentType(PROBLEM).header("WWW-Authenticate", "Bearer realm=\"postway\"").body("detail", containsString("not known"));
    }

    @Test
    void everythingUnderV1AndInternalNeedsAKeyEvenWhereNothingIs() {
        given().get("/v1/nothing-here").then().statusCode(401).contentType(PROBLEM);
        given().get("/internal/nothing-here").then().statusCode(401).contentType(PROBLEM);
    }

    @Test
    void aClientKeyOnTheAdminApiIs403() {
        given().header("Authorization", CLIENT).get("/v1/policies").then().statusCode(403).contentType(PROBLEM)
                .body("type", equalTo(TYPES + "forbidden")).body("status", equalTo(403));
        given().header("Authorization", CLIENT).get("/internal/v1/published-policies").then().statusCode(403).contentType(PROBLEM);
    }

    @Test
    void anUnknownPathIs404AndAWrongMethod405InTheOneScheme() {
        given().header("Authorization", ADMIN).get("/v1/nothing-here").then().statusCode(404).contentType(PROBLEM)
                .body("type", equalTo(TYPES + "not-found")).body("status", equalTo(404));
        given().header("Authorization", ADMIN).post("/v1/policies").then().statusCode(405).contentType(PROBLEM)
                .body("type", equalTo(TYPES + "method-not-allowed"));
    }

    @Test
    void anUnexpectedFailureIs500WithAnErrorIdAndNotItsText() {
        for (String path : new String[]{"/v1/test-only/failure", "/v1/test-only/database-refusal"}) {
            Response r = given().header("Authorization", ADMIN).get(path);
            r.then().statusCode(500).contentType(PROBLEM).body("type", equalTo(TYPES + "internal"))
                    .body("errorId", notNullValue()).header("Retry-After", (String) null);
            assertTrue(r.<String>path("detail").contains(r.<String>path("errorId")), "the detail names the error id");
            assertFalse(r.asString().contains(TestOnlyResource.SECRET_TEXT), "the exception text stays in the log");
            assertFalse(r.asString().contains("duplicate key"), "the exception text stays in the log");
        }
    }

    @Test
    void anUnreachableDatabaseIs503WithRetryAfter() {
        given().header("Authorization", ADMIN).get("/v1/test-only/database-down").then().statusCode(503).contentType(PROBLEM)
                .body("type", equalTo(TYPES + "unavailable")).header("Retry-After", equalTo("5"))
                .body("detail", containsString("database"));
    }

    @Test
    void healthNeedsNoKey() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200);
        given().header("Authorization", "Bearer wrong").get("/q/health/live").then().statusCode(200);
    }
}
