package io.postway.intake.api;

import io.postway.intake.IntakeTestResource;
import io.postway.intake.infra.IdempotencyRepository;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * A submission with an Idempotency-Key whose store cannot be reached is a 503 with Retry-After; a
 * reservation the database refuses is a 500. The repository answers as PostgreSQL's driver would;
 * everything else is real.
 */
@QuarkusTest
@QuarkusTestResource(value = IntakeTestResource.class, initArgs = @ResourceArg(name = "database", value = "postway_intake_test"))
class IdempotencyStoreFailuresTest {

    static final String TYPES = "https://postway.io/problems/";

    /** Reservations fail with {@code sqlState}. */
    void reservationsFailWith(String sqlState) {
        QuarkusMock.installMockForType(new IdempotencyRepository() {
            @Override
            public Reservation reserve(String client, String key, Duration ttl) throws SQLException {
                throw new SQLException("failing as told", sqlState);
            }
        }, IdempotencyRepository.class);
    }

    io.restassured.response.ValidatableResponse submitWithKey() {
        return given().header("Authorization", "Bearer test-local-key").header("Idempotency-Key", UUID.randomUUID().toString())
                .contentType("application/json")
                .body(Map.of("from", "it@store-failures.example", "to", List.of("a@store-failures.example"), "text", "x"))
                .post("/v1/messages").then();
    }

    @Test
    void anUnreachableIdempotencyStoreIs503WithRetryAfter() {
        reservationsFailWith("08006");
        submitWithKey().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("type", equalTo(TYPES + "unavailable")).body("status", equalTo(503));
    }

    @Test
    void aRefusedReservationIs500() {
        reservationsFailWith("42P01");
        submitWithKey().statusCode(500).contentType("application/problem+json")
                .header("Retry-After", nullValue())
                .body("type", equalTo(TYPES + "internal")).body("errorId", notNullValue());
    }
}
