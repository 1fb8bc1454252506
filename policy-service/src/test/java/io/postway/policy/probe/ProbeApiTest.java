package io.postway.policy.probe;

import io.postway.contract.probe.ProbeRequest;
import io.postway.policy.ProbeService;
import io.postway.testkit.PostwayInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.postway.policy.TestSupport.admin;
import static io.postway.policy.TestSupport.domain;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The probe API end to end over the real broker and database, with {@link FakeDelivery} answering
 * in delivery's place: the seed's story told as "probe, apply the recommendation", the review of
 * the override it leaves, and its re-probe once the partner upgraded.
 */
@QuarkusTest
@QuarkusTestResource(value = PostwayInfraResource.class, initArgs = @ResourceArg(name = "database", value = "postway_policy_test"))
class ProbeApiTest {

    static final String PROBLEM = "application/problem+json";

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;
    @Inject
    ProbeService probes;

    static FakeDelivery delivery;

    /** Created before each test's first request: it also creates the test's probe topics (the broker auto-creates none). */
    @org.junit.jupiter.api.BeforeEach
    void deliveryListens() {
        delivery();
    }

    FakeDelivery delivery() {
        if (delivery == null) {
            delivery = new FakeDelivery(kafka);
        }
        return delivery;
    }

    @AfterAll
    static void close() {
        if (delivery != null) {
            delivery.close();
        }
    }

    static String post(String domain) {
        return admin().body("{\"domain\": \"" + domain + "\"}").post("/v1/probes").then().statusCode(202)
                .header("Location", containsString("/v1/probes/")).body("status", equalTo("RUNNING"))
                .body("domain", equalTo(domain)).body("advice", nullValue()).extract().path("id");
    }

    static JsonPath awaitEnded(String id) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            last[0] = admin().get("/v1/probes/" + id).then().statusCode(200).extract().jsonPath();
            return !last[0].getString("status").equals("RUNNING");
        });
        return last[0];
    }

    @Test
    void theSeedsStoryProbeApplyTheRecommendationAndTheOverrideIsReviewedUntilThePartnerUpgrades() throws Exception {
        String d = domain("fabrikam");
        admin().body("{\"route\": {\"port\": 10026}}").put("/v1/policies/" + d).then().statusCode(201);

        // probe: delivery is asked with the policy in force, and answers what the old server said
        String id = post(d);
        ProbeRequest req = delivery().awaitRequest(d);
        assertEquals(id, req.probeId());
        assertEquals(10026, req.policy().route().port());
        assertEquals("TLSv1.2", req.policy().tls().minVersion().wireName());
        assertNull(req.policy().auth().passwordEncrypted());
        delivery().answer(req, List.of(FakeDelivery.tls10Only("old." + d, 10026)));
        JsonPath done = awaitEnded(id);
        assertEquals("DONE", done.getString("status"), done.prettify());
        assertEquals("TLSv1", done.getString("hosts[0].handshakes[0].protocol"));
        assertEquals("NOT_CHECKED", done.getString("mtaSts.status"));
        assertEquals("NOT_CHECKED", done.getString("dane.status"));
        assertFalse(done.getBoolean("advice.mailWouldGoThrough"));
        assertTrue(done.getString("advice.hosts[0].sentence").contains("accepts only TLSv1, and the policy allows TLSv1.2-TLSv1.3"),
                done.getString("advice.hosts[0].sentence"));
        assertTrue(done.getString("advice.recommendation.summary").startsWith("REQUIRED + HOSTNAME with minVersion TLSv1 for this domain only"),
                done.getString("advice.recommendation.summary"));
        assertEquals("PUT", done.getString("advice.recommendation.method"));
        assertEquals("/v1/policies/" + d, done.getString("advice.recommendation.path"));
        Map<String, Object> body = done.getMap("advice.recommendation.body");
        assertEquals(Map.of("tls", Map.of("verify", "HOSTNAME", "minVersion", "TLSv1"), "route", Map.of("port", 10026)), body);

        // a dry run of it says the mail would now go through, and stores nothing
        admin().queryParam("dryRun", true).body(body).put("/v1/policies/" + d).then().statusCode(200)
                .body("dryRun", equalTo(true)).body("valid", equalTo(true)).body("probe.id", equalTo(id))
                .body("probe.mailWouldGoThrough", equalTo(true)).body("rule.version", equalTo(2))
                .body("effective.tls.minVersion", equalTo("TLSv1")).body("rule.review.weakens[0]", containsString("tls.minVersion TLSv1"));
        admin().get("/v1/policies/" + d).then().body("version", equalTo(1)).body("review", nullValue());

        // apply it: the rule now weakens TLS below default, so it carries a review date 30 days out
        Instant before = Instant.now();
        JsonPath rule = admin().body(body).put(done.getString("advice.recommendation.path")).then().statusCode(200)
                .body("tls.minVersion", equalTo("TLSv1")).body("review.overdue", equalTo(false))
                .body("review.weakens", equalTo(List.of("tls.minVersion TLSv1 (default TLSv1.2)"))).body("review.note", nullValue())
                .extract().jsonPath();
        Instant due = Instant.parse(rule.getString("review.due"));
        assertTrue(!due.isBefore(before.plus(Duration.ofDays(30)).minusSeconds(5)) && due.isBefore(Instant.now().plus(Duration.ofDays(30))), due.toString());
        JsonPath again = admin().get("/v1/probes/" + id).then().statusCode(200).extract().jsonPath();
        assertTrue(again.getBoolean("advice.mailWouldGoThrough"));
        assertTrue(again.getBoolean("advice.recommendation.alreadyInForce"));

        // the scheduled re-probe: still TLSv1 only -> no note; then the partner upgrades -> "this override can go"
        probes.reprobeDue();
        ProbeRequest first = delivery().awaitRequest(d);
        assertEquals("TLSv1", first.policy().tls().minVersion().wireName());
        delivery().answer(first, List.of(FakeDelivery.tls10Only("old." + d, 10026)));
        assertEquals("review", awaitEnded(first.probeId()).getString("requestedBy"));
        admin().get("/v1/policies/" + d).then().body("review.lastProbeId", equalTo(first.probeId())).body("review.note", nullValue());
        assertEquals(0, probes.reprobeDue(), "re-probed just now: not due again before the interval");

        admin().body("{\"domain\": \"" + d + "\"}").post("/v1/probes").then().statusCode(202);
        ProbeRequest upgraded = delivery().awaitRequest(d);
        delivery().answer(upgraded, List.of(FakeDelivery.modern("old." + d, 10026)));
        awaitEnded(upgraded.probeId());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> admin().get("/v1/policies/" + d).then()
                .body("review.note", equalTo(d + " now accepts TLSv1.2: this override can go"))
                .body("review.remoteFixedAt", org.hamcrest.Matchers.notNullValue()));

        // the listing per domain, newest first
        List<String> ids = admin().queryParam("domain", d).get("/v1/probes").then().statusCode(200).extract().jsonPath().getList("id");
        assertEquals(List.of(upgraded.probeId(), first.probeId(), id), ids);

        // the override goes: no more review
        admin().body("{\"route\": {\"port\": 10026}}").put("/v1/policies/" + d).then().statusCode(200).body("review", nullValue());
    }

    @Test
    void aReviewDateCanBeChosenAndMustLieAhead() {
        String d = domain("plain-partner");
        admin().body("{\"tls\": {\"mode\": \"DISABLED\"}, \"review\": {\"due\": \"2000-01-01T00:00:00Z\"}}").put("/v1/policies/" + d)
                .then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("review.due"));
        admin().body("{\"tls\": {\"mode\": \"DISABLED\"}, \"review\": {\"due\": \"2099-01-01T00:00:00Z\"}}").put("/v1/policies/" + d)
                .then().statusCode(201).body("review.due", equalTo("2099-01-01T00:00:00Z"))
                .body("review.weakens", equalTo(List.of("tls.mode DISABLED (default REQUIRED)")));
        // a later change that names no date keeps it
        admin().body("{\"tls\": {\"mode\": \"DISABLED\"}, \"limits\": {\"maxConnections\": 2}}").put("/v1/policies/" + d)
                .then().statusCode(200).body("review.due", equalTo("2099-01-01T00:00:00Z"));
        // a GET body sent back as it is (review included) changes nothing
        String got = admin().get("/v1/policies/" + d).then().statusCode(200).extract().asString();
        admin().body(got).put("/v1/policies/" + d).then().statusCode(200).body("version", equalTo(2))
                .body("review.due", equalTo("2099-01-01T00:00:00Z"));
        List<Map<String, Object>> all = admin().get("/v1/policies").then().extract().jsonPath().getList("findAll { it.rule == '" + d + "' }");
        assertEquals("2099-01-01T00:00:00Z", ((Map<?, ?>) all.get(0).get("review")).get("due"));
    }

    @Test
    void aProbeNamesOnlyADomainNeedsTheAdminKeyAndEndsFailedWithoutAnAnswer() {
        admin().body("{\"domain\": \"x.test\", \"host\": \"10.0.0.1\", \"port\": 25}").post("/v1/probes").then().statusCode(400)
                .contentType(PROBLEM).body("errors.field", equalTo(List.of("host", "port")));
        admin().body("{}").post("/v1/probes").then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("domain"));
        admin().body("{\"domain\": \"not a domain\"}").post("/v1/probes").then().statusCode(400).contentType(PROBLEM);
        RestAssured.given().header("Authorization", "Bearer local-client-key").contentType(ContentType.JSON)
                .body("{\"domain\": \"x.test\"}").post("/v1/probes").then().statusCode(403).contentType(PROBLEM);
        RestAssured.given().get("/v1/probes?domain=x.test").then().statusCode(401);
        admin().get("/v1/probes/00000000-0000-0000-0000-000000000000").then().statusCode(404).contentType(PROBLEM);
        admin().get("/v1/probes/nope").then().statusCode(404).contentType(PROBLEM);
        admin().get("/v1/probes").then().statusCode(400).contentType(PROBLEM);

        String id = post(domain("silent"));
        JsonPath failed = awaitEnded(id);
        assertEquals("FAILED", failed.getString("status"));
        assertTrue(failed.getString("failure").contains("did not answer"), failed.getString("failure"));
    }
}
