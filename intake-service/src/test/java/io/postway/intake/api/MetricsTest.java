package io.postway.intake.api;

import io.postway.intake.IntakeTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

/** What a performance engineer reads: the accept latency as a Prometheus histogram, and the projection's consumer lag. */
@QuarkusTest
@QuarkusTestResource(value = IntakeTestResource.class, initArgs = @ResourceArg(name = "database", value = "postway_intake_test"))
class MetricsTest {

    @Test
    void acceptLatencyIsAHistogramAndTheProjectionsLagIsExposed() {
        given().header("Authorization", "Bearer test-local-key").contentType("application/json")
                .body(Map.of("from", "it@metrics.example", "to", List.of("user@metrics.example"), "subject", "m", "text", "Hello"))
                .post("/v1/messages").then().statusCode(202);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("postway_intake_accept_seconds_bucket{outcome=\"accepted\",le=\"0.001\"}"))
                .body(containsString("postway_intake_accept_seconds_count{outcome=\"accepted\"} "));
        await().untilAsserted(() -> given().get("/q/metrics").then()
                .body(containsString("kafka_consumer_fetch_manager_records_lag_max{client_id=\"kafka-consumer-mail-delivery-events\"")));
    }
}
