package io.postway.policy.api;

import io.postway.testkit.PostwayInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.postway.policy.TestSupport.admin;
import static io.postway.policy.TestSupport.domain;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

/** PATCH with a JSON Merge Patch (RFC 7396), and ?dryRun=true on PUT and PATCH. */
@QuarkusTest
@QuarkusTestResource(value = PostwayInfraResource.class, initArgs = @ResourceArg(name = "database", value = "postway_policy_test"))
class PolicyPatchTest {

    static final String PROBLEM = "application/problem+json";

    static RequestSpecification patch(String body) {
        return admin().contentType(PolicyResource.MERGE_PATCH).body(body);
    }

    @Test
    void aMergePatchChangesTheFieldsItNamesRemovesTheNullOnesAndKeepsTheRest() {
        String d = domain("patch");
        admin().body("{\"tls\": {\"mode\": \"OPPORTUNISTIC\", \"fallbackToPlaintext\": true}, \"route\": {\"port\": 2525},"
                + " \"retry\": {\"intervals\": [\"PT5M\", \"PT10M\"]}}").put("/v1/policies/" + d).then().statusCode(201);
        patch("{\"route\": {\"port\": null}, \"limits\": {\"maxConnections\": 5}, \"retry\": {\"intervals\": [\"PT1M\"]}}")
                .header("X-Postway-Actor", "bob").patch("/v1/policies/" + d).then().statusCode(200).header("ETag", "\"2\"")
                .body("version", equalTo(2)).body("route.port", nullValue()).body("limits.maxConnections", equalTo(5))
                .body("tls.mode", equalTo("OPPORTUNISTIC")).body("tls.fallbackToPlaintext", equalTo(true))
                .body("retry.intervals", equalTo(List.of("PT1M"))).body("updatedBy", equalTo("admin:bob"));
        admin().get("/v1/policies/" + d + "/history").then().body("[1].action", equalTo("UPDATED"))
                .body("[1].changes.field", hasItem("route.port"));
        // an unchanged result stores nothing
        patch("{\"limits\": {\"maxConnections\": 5}}").patch("/v1/policies/" + d).then().statusCode(200).body("version", equalTo(2));
    }

    @Test
    void ifMatchIsHonouredAndTheMediaTypeIsMergePatch() {
        String d = domain("patch-match");
        admin().body("{\"tls\": {\"mode\": \"OPPORTUNISTIC\"}}").put("/v1/policies/" + d).then().statusCode(201);
        patch("{\"limits\": {\"maxConnections\": 3}}").header("If-Match", "\"1\"").patch("/v1/policies/" + d).then().statusCode(200);
        patch("{\"limits\": {\"maxConnections\": 4}}").header("If-Match", "\"1\"").patch("/v1/policies/" + d).then().statusCode(412)
                .contentType(PROBLEM).body("currentVersion", equalTo(2));
        admin().body("{\"limits\": {\"maxConnections\": 4}}").patch("/v1/policies/" + d).then().statusCode(415).contentType(PROBLEM);
        patch("{\"tls\": {\"mode\": \"SOMETIMES\"}}").patch("/v1/policies/" + d).then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("tls.mode"));
        patch("[1]").patch("/v1/policies/" + d).then().statusCode(400).contentType(PROBLEM);
        patch("{}").patch("/v1/policies/" + domain("patch-missing")).then().statusCode(404).contentType(PROBLEM);
    }

    @Test
    void defaultIsPatchedOneFieldAtATimeAndKeepsEveryField() {
        int before = admin().get("/v1/policies/default").then().extract().path("limits.messagesPerConnection");
        patch("{\"limits\": {\"messagesPerConnection\": 77}}").patch("/v1/policies/default").then().statusCode(200)
                .body("limits.messagesPerConnection", equalTo(77)).body("tls.mode", equalTo("REQUIRED"))
                .body("retry.expireAfter", equalTo("P2D"));
        patch("{\"tls\": {\"mode\": null}}").patch("/v1/policies/default").then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", hasItem("tls.mode"));
        patch("{\"limits\": {\"messagesPerConnection\": " + before + "}}").patch("/v1/policies/default").then().statusCode(200);
    }

    @Test
    void aDryRunShowsTheMergedRuleAndItsValidationAndStoresNothing() {
        String d = domain("dry");
        admin().queryParam("dryRun", true).body("{\"tls\": {\"mode\": \"REQUIRED\", \"fallbackToPlaintext\": true}}")
                .put("/v1/policies/" + d).then().statusCode(200).body("dryRun", equalTo(true)).body("valid", equalTo(false))
                .body("errors.field", hasItem("tls.fallbackToPlaintext")).body("effective", nullValue());
        admin().get("/v1/policies/" + d).then().statusCode(404);
        admin().queryParam("dryRun", true).body("{\"tls\": {\"mode\": \"DISABLED\"}}").put("/v1/policies/" + d).then().statusCode(200)
                .body("valid", equalTo(true)).body("rule.version", equalTo(1)).body("effective.tls.mode", equalTo("DISABLED"))
                .body("effective.sources", org.hamcrest.Matchers.notNullValue()).body("probe", nullValue())
                .body("rule.review.weakens", equalTo(List.of("tls.mode DISABLED (default REQUIRED)")));
        admin().get("/v1/policies/" + d).then().statusCode(404);

        admin().body("{\"tls\": {\"mode\": \"OPPORTUNISTIC\"}}").put("/v1/policies/" + d).then().statusCode(201);
        patch("{\"tls\": {\"mode\": null}}").queryParam("dryRun", true).patch("/v1/policies/" + d).then().statusCode(200)
                .body("valid", equalTo(true)).body("rule.tls.mode", nullValue()).body("effective.tls.mode", equalTo("REQUIRED"))
                .body("rule.version", equalTo(2)).body("rule.review", nullValue());
        patch("{\"tls\": {\"mode\": null}}").queryParam("dryRun", true).header("If-Match", "\"7\"").patch("/v1/policies/" + d)
                .then().statusCode(412);
        admin().get("/v1/policies/" + d).then().body("version", equalTo(1)).body("tls.mode", equalTo("OPPORTUNISTIC"));
        // on default, the dry run lists the domain rules the change would break instead of a 409
        String capped = domain("dry-capped");
        admin().body("{\"tls\": {\"maxVersion\": \"TLSv1.2\"}}").put("/v1/policies/" + capped).then().statusCode(201);
        patch("{\"tls\": {\"minVersion\": \"TLSv1.3\"}}").queryParam("dryRun", true)
                .patch("/v1/policies/default").then().statusCode(200).body("valid", equalTo(false)).body("errors", equalTo(List.of()))
                .body("conflicts.rule", hasItem(capped)).body("rule.tls.minVersion", equalTo("TLSv1.3"));
        admin().get("/v1/policies/default").then().body("tls.minVersion", equalTo("TLSv1.2"));
        admin().delete("/v1/policies/" + capped).then().statusCode(204);
    }

    @Test
    void aChangeOfDefaultDecidesAnewWhichDomainRulesWeakenTls() {
        String d = domain("weak-by-default");
        admin().body("{\"tls\": {\"verify\": \"NONE\"}}").put("/v1/policies/" + d).then().statusCode(201).body("review", nullValue());
        String verify = admin().get("/v1/policies/default").then().extract().path("tls.verify");
        try {
            patch("{\"tls\": {\"verify\": \"CA\"}}").patch("/v1/policies/default").then().statusCode(200);
            admin().get("/v1/policies/" + d).then().body("review.weakens", equalTo(List.of("tls.verify NONE (default CA)")));
        } finally {
            patch("{\"tls\": {\"verify\": \"" + verify + "\"}}").patch("/v1/policies/default").then().statusCode(200);
        }
        admin().get("/v1/policies/" + d).then().body("review", nullValue());
    }
}
