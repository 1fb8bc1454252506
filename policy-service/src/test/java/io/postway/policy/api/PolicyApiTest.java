package io.postway.policy.api;

import io.postway.testkit.PostwayInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static io.postway.policy.TestSupport.admin;
import static io.postway.policy.TestSupport.domain;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(value = PostwayInfraResource.class, initArgs = @ResourceArg(name = "database", value = "postway_policy_test"))
class PolicyApiTest {

    static final String PROBLEM = "application/problem+json";

    @Test
    void everyEndpointNeedsTheAdminKey() {
        String d = domain("auth");
        for (String path : List.of("/v1/policies", "/v1/policies/default", "/v1/policies/default/history",
                "/v1/effective-policy/" + d, "/internal/v1/published-policies")) {
            RestAssured.given().get(path).then().statusCode(401).contentType(PROBLEM).header("WWW-Authenticate", "Bearer realm=\"postway\"");
            RestAssured.given().header("Authorization", "Bearer guessed").get(path).then().statusCode(401);
            RestAssured.given().header("Authorization", "Bearer local-client-key").get(path).then().statusCode(403).contentType(PROBLEM);
            admin().get(path).then().statusCode(200);
        }
        RestAssured.given().contentType(ContentType.JSON).body("{}").put("/v1/policies/" + d).then().statusCode(401);
        RestAssured.given().header("Authorization", "Bearer local-client-key").delete("/v1/policies/" + d).then().statusCode(403);
        admin().get("/v1/policies/" + d).then().statusCode(404);
    }

    @Test
    void defaultExistsWithTheBuiltInValuesAndCannotBeDeleted() {
        admin().get("/v1/policies/DEFAULT").then().statusCode(200)
                .body("rule", equalTo("default"))
                .body("tls.mode", equalTo("REQUIRED"))
                .body("tls.minVersion", equalTo("TLSv1.2"))
                .body("tls.maxVersion", equalTo("TLSv1.3"))
                .body("tls.fallbackToPlaintext", equalTo(false))
                .body("auth.method", equalTo("NONE"))
                .body("route.port", equalTo(25))
                .body("retry.intervals", equalTo(List.of("PT15M", "PT30M", "PT1H", "PT4H")))
                .body("retry.expireAfter", equalTo("P2D"));
        admin().delete("/v1/policies/default").then().statusCode(409).contentType(PROBLEM);
        List<String> rules = admin().get("/v1/policies").then().statusCode(200).extract().jsonPath().getList("rule");
        assertEquals("default", rules.get(0));
    }

    @Test
    void createsReadsReplacesListsAndDeletesARuleWithHistory() {
        String d = domain("crud");
        admin().header("X-Postway-Actor", "alice").body("{\"tls\": {\"mode\": \"DISABLED\"}}").put("/v1/policies/" + d)
                .then().statusCode(201).header("Location", containsString("/v1/policies/" + d)).header("ETag", "\"1\"")
                .body("rule", equalTo(d)).body("version", equalTo(1))
                .body("tls.mode", equalTo("DISABLED")).body("tls.verify", nullValue())
                .body("auth.password", nullValue()).body("auth.passwordSet", equalTo(false))
                .body("updatedBy", equalTo("admin:alice"));
        admin().get("/v1/policies/" + d).then().statusCode(200).header("ETag", "\"1\"").body("route.smartHost", nullValue());
        admin().body("{\"tls\": {\"mode\": \"OPPORTUNISTIC\", \"fallbackToPlaintext\": true}, \"route\": {\"smartHost\": \"Relay.Example.NET:587\"}}")
                .put("/v1/policies/" + d).then().statusCode(200).header("ETag", "\"2\"").body("version", equalTo(2))
                .body("route.smartHost", equalTo("relay.example.net:587"));
        admin().get("/v1/policies").then().statusCode(200).body("rule", hasItem(d));
        admin().delete("/v1/policies/" + d).then().statusCode(204);
        admin().get("/v1/policies/" + d).then().statusCode(404).contentType(PROBLEM);
        admin().delete("/v1/policies/" + d).then().statusCode(404);

        JsonPath history = admin().get("/v1/policies/" + d + "/history").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("CREATED", "UPDATED", "DELETED"), history.getList("action"));
        assertEquals(List.of(1, 2, 3), history.getList("version"));
        assertEquals("admin:alice", history.getString("[0].by"));
        assertTrue(history.getList("[1].changes", Map.class).contains(Map.of("field", "tls.mode", "from", "DISABLED", "to", "OPPORTUNISTIC")),
                history.prettify());

        // a re-created rule continues the numbering, so consumers never see a version twice
        admin().body("{}").put("/v1/policies/" + d).then().statusCode(201).body("version", equalTo(4));
        admin().delete("/v1/policies/" + d).then().statusCode(204);
    }

    @Test
    void storesDomainsLowerCaseAndIdnsAsALabels() {
        String unicode = "*.BÜCHER-" + io.postway.policy.TestSupport.RUN + ".test";
        String ascii = java.net.IDN.toASCII(unicode.toLowerCase(java.util.Locale.ROOT).substring(2));
        admin().body("{\"limits\": {\"maxConnections\": 2}}").put("/v1/policies/" + unicode)
                .then().statusCode(201).body("rule", equalTo("*." + ascii));
        admin().get("/v1/policies/*." + ascii).then().statusCode(200).body("limits.maxConnections", equalTo(2));
        admin().get("/v1/effective-policy/MX.bücher-" + io.postway.policy.TestSupport.RUN + ".test").then().statusCode(200)
                .body("domain", equalTo("mx." + ascii)).body("rule", equalTo("*." + ascii));
        admin().delete("/v1/policies/*." + ascii).then().statusCode(204);
    }

    @Test
    void effectivePolicyTakesExactThenLongestWildcardThenDefaultAndNamesEachFieldsSource() {
        String base = domain("eff");
        admin().body("{\"route\": {\"smartHost\": \"relay.example.net\"}}").put("/v1/policies/*." + base).then().statusCode(201);
        admin().body("{\"tls\": {\"mode\": \"DISABLED\"}}").put("/v1/policies/*.mail." + base).then().statusCode(201);
        admin().body("{\"limits\": {\"maxConnections\": 3}}").put("/v1/policies/" + base).then().statusCode(201);

        admin().get("/v1/effective-policy/MX1.Mail." + base).then().statusCode(200)
                .body("domain", equalTo("mx1.mail." + base))
                .body("rule", equalTo("*.mail." + base)).body("version", equalTo(1))
                .body("tls.mode", equalTo("DISABLED")).body("tls.minVersion", equalTo("TLSv1.2"))
                .body("route.smartHost", nullValue())
                .body("sources.'tls.mode'", equalTo("*.mail." + base))
                .body("sources.'tls.minVersion'", equalTo("default"))
                .body("sources.'route.smartHost'", equalTo("default"));
        admin().get("/v1/effective-policy/mail." + base).then()
                .body("rule", equalTo("*." + base)).body("route.smartHost", equalTo("relay.example.net"))
                .body("tls.mode", equalTo("REQUIRED")).body("sources.'route.smartHost'", equalTo("*." + base));
        admin().get("/v1/effective-policy/" + base).then()
                .body("rule", equalTo(base)).body("limits.maxConnections", equalTo(3)).body("route.smartHost", nullValue());
        admin().get("/v1/effective-policy/other-" + base).then().body("rule", equalTo("default"));
        admin().get("/v1/effective-policy/not_a_domain").then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("domain"));

        admin().delete("/v1/policies/*.mail." + base).then().statusCode(204);
        admin().get("/v1/effective-policy/mx1.mail." + base).then().body("rule", equalTo("*." + base))
                .body("tls.mode", equalTo("REQUIRED"));

        for (String r : List.of("*." + base, base)) {
            admin().delete("/v1/policies/" + r).then().statusCode(204);
        }
    }

    @Test
    void ifMatchRefusesALostUpdateWith412() {
        String d = domain("etag");
        admin().header("If-Match", "\"1\"").body("{}").put("/v1/policies/" + d).then().statusCode(412).contentType(PROBLEM);
        admin().body("{\"tls\": {\"mode\": \"DISABLED\"}}").put("/v1/policies/" + d).then().statusCode(201);
        admin().header("If-Match", "\"1\"").body("{\"tls\": {\"mode\": \"OPPORTUNISTIC\"}}").put("/v1/policies/" + d)
                .then().statusCode(200).header("ETag", "\"2\"");
        admin().header("If-Match", "\"1\"").body("{\"tls\": {\"mode\": \"REQUIRED\"}}").put("/v1/policies/" + d)
                .then().statusCode(412).contentType(PROBLEM).body("currentVersion", equalTo(2));
        admin().get("/v1/policies/" + d).then().body("tls.mode", equalTo("OPPORTUNISTIC"));
        admin().header("If-Match", "\"1\"").delete("/v1/policies/" + d).then().statusCode(412);
        admin().header("If-Match", "\"2\"").delete("/v1/policies/" + d).then().statusCode(204);
    }

    @Test
    void twoConcurrentEditsWithTheSameIfMatchLeaveExactlyOneWinner() throws Exception {
        for (int round = 0; round < 5; round++) {
            String d = domain("race" + round);
            admin().body("{}").put("/v1/policies/" + d).then().statusCode(201);
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Integer>> puts = new ArrayList<>();
            for (String mode : List.of("DISABLED", "OPPORTUNISTIC")) {
                puts.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return admin().header("If-Match", "\"1\"").body("{\"tls\": {\"mode\": \"" + mode + "\"}}")
                            .put("/v1/policies/" + d).statusCode();
                }));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>(List.of(puts.get(0).get(), puts.get(1).get()));
            statuses.sort(null);
            assertEquals(List.of(200, 412), statuses);
            admin().get("/v1/policies/" + d).then().body("version", equalTo(2));
            assertEquals(2, admin().get("/v1/policies/" + d + "/history").jsonPath().getList("action").size());
            admin().delete("/v1/policies/" + d).then().statusCode(204);
        }
    }

    @Test
    void twoConcurrentCreatesOfTheSameRuleBothSucceedOneAfterTheOther() throws Exception {
        String d = domain("create-race");
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Integer>> puts = new ArrayList<>();
        for (int port : List.of(2525, 2526)) {
            puts.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return admin().body("{\"route\": {\"port\": " + port + "}}").put("/v1/policies/" + d).statusCode();
            }));
        }
        go.countDown();
        List<Integer> statuses = new ArrayList<>(List.of(puts.get(0).get(), puts.get(1).get()));
        statuses.sort(null);
        assertEquals(List.of(200, 201), statuses);
        assertEquals(List.of("CREATED", "UPDATED"), admin().get("/v1/policies/" + d + "/history").jsonPath().getList("action"));
        admin().delete("/v1/policies/" + d).then().statusCode(204);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"tls\": {\"mode\": \"REQUIRED\", \"fallbackToPlaintext\": true}}      | tls.fallbackToPlaintext",
            "{\"tls\": {\"fallbackToPlaintext\": true}}                               | tls.fallbackToPlaintext",
            "{\"tls\": {\"mode\": \"DISABLED\", \"fallbackToPlaintext\": true}}       | tls.fallbackToPlaintext",
            "{\"tls\": {\"minVersion\": \"TLSv1.3\", \"maxVersion\": \"TLSv1.2\"}}    | tls.minVersion",
            "{\"tls\": {\"maxVersion\": \"TLSv1.1\"}}                                 | tls.minVersion",
            "{\"tls\": {\"minVersion\": \"SSLv3\"}}                                   | tls.minVersion",
            "{\"tls\": {\"mode\": \"SOMETIMES\"}}                                     | tls.mode",
            "{\"tls\": {\"verify\": \"PARTIAL\"}}                                     | tls.verify",
            "{\"tls\": {\"mode\": \"DISABLED\", \"implicit\": true}}                  | tls.implicit",
            "{\"tls\": {\"implicit\": \"yes\"}}                                       | tls.implicit",
            "{\"tls\": {\"cipher\": \"RC4\"}}                                         | tls.cipher",
            "{\"colour\": \"blue\"}                                                   | colour",
            "{\"tls\": \"REQUIRED\"}                                                  | tls",
            "{\"auth\": {\"method\": \"PLAIN\"}}                                      | auth.username",
            "{\"auth\": {\"method\": \"LOGIN\", \"username\": \"relay\"}}             | auth.password",
            "{\"auth\": {\"method\": \"NONE\", \"username\": \"relay\"}}              | auth.username",
            "{\"auth\": {\"method\": \"CRAM-MD5\"}}                                   | auth.method",
            "{\"auth\": {\"method\": \"PLAIN\", \"username\": \"u\", \"password\": \"\"}} | auth.password",
            "{\"route\": {\"smartHost\": \"relay example\"}}                          | route.smartHost",
            "{\"route\": {\"smartHost\": \"relay.example.net:0\"}}                    | route.smartHost",
            "{\"route\": {\"smartHost\": \"smtp://relay.example.net\"}}               | route.smartHost",
            "{\"route\": {\"port\": 70000}}                                           | route.port",
            "{\"limits\": {\"maxConnections\": 0}}                                    | limits.maxConnections",
            "{\"limits\": {\"messagesPerConnection\": \"many\"}}                      | limits.messagesPerConnection",
            "{\"retry\": {\"intervals\": [\"PT0S\"]}}                                 | retry.intervals[0]",
            "{\"retry\": {\"intervals\": [\"PT5M\", \"-PT5M\"]}}                      | retry.intervals[1]",
            "{\"retry\": {\"intervals\": [\"15 minutes\"]}}                           | retry.intervals[0]",
            "{\"retry\": {\"intervals\": []}}                                         | retry.intervals",
            "{\"retry\": {\"expireAfter\": \"P0D\"}}                                  | retry.expireAfter",
            "{\"tls\": {\"mtaSts\": \"IGNORE\"}}                                       | tls.mtaStsIgnoreReason",
            "{\"tls\": {\"mtaSts\": \"HONOR\", \"mtaStsIgnoreReason\": \"x\"}}         | tls.mtaStsIgnoreReason",
            "{\"tls\": {\"mtaSts\": \"OBEY\"}}                                         | tls.mtaSts",
            "[1, 2]                                                                   | body",
            "{\"tls\": {                                                              | body",
    })
    void refusesContradictoryOrUnknownFieldsWith400NamingTheField(String body, String field) {
        String d = domain("invalid");
        Response r = admin().body(body.trim()).put("/v1/policies/" + d);
        r.then().statusCode(400).contentType(PROBLEM)
                .body("status", equalTo(400)).body("type", containsString("invalid-policy"))
                .body("title", equalTo("Invalid policy")).body("detail", containsString(field))
                .body("errors.field", hasItem(field));
        admin().get("/v1/policies/" + d).then().statusCode(404);
    }

    /** tls.dane (extension): stored and shown, merged from default, refused by name when unknown or contradictory. */
    @Test
    void tlsDaneIsStoredMergedAndValidated() {
        String d = domain("dane");
        admin().body("{\"tls\": {\"dane\": \"REQUIRED\"}}").put("/v1/policies/" + d).then().statusCode(201)
                .body("tls.dane", equalTo("REQUIRED"));
        admin().get("/v1/effective-policy/" + d).then().statusCode(200)
                .body("tls.dane", equalTo("REQUIRED")).body("sources.'tls.dane'", equalTo(d));
        admin().get("/v1/effective-policy/other-" + d).then().statusCode(200)
                .body("tls.dane", equalTo("OPPORTUNISTIC")).body("sources.'tls.dane'", equalTo("default"));
        admin().body("{\"tls\": {\"dane\": \"SOMETIMES\"}}").put("/v1/policies/" + d).then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("tls.dane"));
        admin().body("{\"tls\": {\"mode\": \"DISABLED\", \"dane\": \"REQUIRED\"}}").put("/v1/policies/" + d).then().statusCode(400)
                .contentType(PROBLEM).body("errors[0].field", equalTo("tls.dane"));
    }

    /** One check of the smart host (PolicyValidator's): the answer names the field with the one message. */
    @Test
    void aSmartHostThatIsNotHostAndPortIsRefusedOnceWithItsMessage() {
        String d = domain("smarthost");
        String message = "must be host[:port] (a host name, IPv4 address or [IPv6] address; port 1-65535)";
        admin().body("{\"route\": {\"smartHost\": \"relay example\"}}").put("/v1/policies/" + d).then().statusCode(400)
                .body("errors.size()", equalTo(1))
                .body("errors[0].field", equalTo("route.smartHost")).body("errors[0].message", equalTo(message))
                .body("detail", equalTo("route.smartHost: " + message));
    }

    @Test
    void aFallbackAgainstTheDefaultsRequiredNamesBothRules() {
        String d = domain("fallback");
        admin().body("{\"tls\": {\"fallbackToPlaintext\": true}}").put("/v1/policies/" + d).then().statusCode(400)
                .body("errors[0].message", containsString("'" + d + "'"))
                .body("errors[0].message", containsString("'default'"));
    }

    @Test
    void refusesInvalidRuleNames() {
        for (String rule : List.of("not_a_domain", "com", "**.example.com", "bad..example.com", "a*.example.com")) {
            admin().body("{}").put("/v1/policies/" + rule).then().statusCode(400).contentType(PROBLEM)
                    .body("errors[0].field", equalTo("rule"));
        }
        admin().body("{\"rule\": \"contoso.com\"}").put("/v1/policies/" + domain("mismatch")).then().statusCode(400)
                .body("errors[0].field", equalTo("rule"));
    }

    @Test
    void theDefaultMustBeCompleteAndAChangeThatBreaksADomainIs409NamingIt() {
        admin().body("{\"tls\": {\"mode\": \"REQUIRED\"}}").put("/v1/policies/default").then().statusCode(400)
                .body("errors.field", hasItem("limits.maxConnections"));

        String d = domain("tls13");
        admin().body("{\"tls\": {\"minVersion\": \"TLSv1.3\"}}").put("/v1/policies/" + d).then().statusCode(201);
        Response current = admin().get("/v1/policies/default");
        String etag = current.header("ETag");
        String body = current.asString().replace("\"maxVersion\":\"TLSv1.3\"", "\"maxVersion\":\"TLSv1.2\"");
        assertTrue(body.contains("\"maxVersion\":\"TLSv1.2\""), body);
        admin().header("If-Match", etag).body(body).put("/v1/policies/default").then().statusCode(409).contentType(PROBLEM)
                .body("detail", containsString(d))
                .body("conflicts.rule", hasItem(d));
        admin().get("/v1/policies/default").then().header("ETag", etag).body("tls.maxVersion", equalTo("TLSv1.3"));
        admin().delete("/v1/policies/" + d).then().statusCode(204);
    }

    @Test
    void aChangeOfTheDefaultAppliesToEveryDomainThatDoesNotOverrideTheField() {
        String d = domain("inherit");
        admin().body("{\"tls\": {\"mode\": \"DISABLED\"}}").put("/v1/policies/" + d).then().statusCode(201);
        Response current = admin().get("/v1/policies/default");
        String etag = current.header("ETag");
        String original = current.asString();
        String changed = original.replace("\"messagesPerConnection\":100", "\"messagesPerConnection\":99");
        assertTrue(changed.contains("\"messagesPerConnection\":99"), original);
        String newTag = admin().header("If-Match", etag).body(changed).put("/v1/policies/default").then().statusCode(200)
                .extract().header("ETag");
        try {
            admin().get("/v1/effective-policy/" + d).then()
                    .body("limits.messagesPerConnection", equalTo(99))
                    .body("sources.'limits.messagesPerConnection'", equalTo("default"))
                    .body("tls.mode", equalTo("DISABLED"));
        } finally {
            admin().header("If-Match", newTag).body(original).put("/v1/policies/default").then().statusCode(200);
            admin().delete("/v1/policies/" + d).then().statusCode(204);
        }
    }

    @Test
    void healthReportsDatabaseAndKafkaAndTheApiIsDocumented() {
        String ready = RestAssured.get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP")).extract().asString();
        assertTrue(ready.contains("Database connections health check"), ready);
        assertTrue(ready.contains("kafka"), ready);
        RestAssured.get("/q/health/live").then().statusCode(200);
        RestAssured.get("/q/openapi").then().statusCode(200)
                .body(containsString("/v1/policies/{rule}")).body(containsString("/v1/effective-policy/{domain}"));
        RestAssured.get("/q/swagger-ui/").then().statusCode(200);
        RestAssured.get("/q/metrics").then().statusCode(200).body(containsString("postway_policy_outbox_pending"));
    }
}
