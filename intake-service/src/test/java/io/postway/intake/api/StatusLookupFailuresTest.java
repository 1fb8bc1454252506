package io.postway.intake.api;

import io.postway.intake.IntakeTestResource;
import io.postway.intake.domain.MessageStatus;
import io.postway.intake.domain.ProjectedEvent;
import io.postway.intake.infra.StatusRepository;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/**
 * A status lookup whose database cannot be reached is a 503 with Retry-After; a query the database
 * refuses stays a 500. The repository answers as PostgreSQL's driver would; everything else is real.
 */
@QuarkusTest
@QuarkusTestResource(value = IntakeTestResource.class, initArgs = @ResourceArg(name = "database", value = "postway_intake_test"))
class StatusLookupFailuresTest {

    static final String TYPES = "https://postway.io/problems/";

    @Inject
    StatusRepository statuses;

    /** The real repository, except that {@code find} fails with {@code sqlState}. */
    void lookupsFailWith(String sqlState) {
        StatusRepository real = ClientProxy.unwrap(statuses);
        QuarkusMock.installMockForType(new StatusRepository() {
            @Override
            public Optional<List<MessageStatus.Recipient>> find(String messageId, String client) throws SQLException {
                throw new SQLException("failing as told", sqlState);
            }

            @Override
            public void applyAll(List<ProjectedEvent> events) throws SQLException {
                real.applyAll(events);
            }
        }, StatusRepository.class);
    }

    @Test
    void anUnreachableStatusStoreIs503WithRetryAfter() {
        lookupsFailWith("08001");
        given().header("Authorization", "Bearer test-local-key").get("/v1/messages/some-id")
                .then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("type", equalTo(TYPES + "unavailable")).body("status", equalTo(503));
    }

    @Test
    void aRefusedQueryIs500() {
        lookupsFailWith("42P01");
        given().header("Authorization", "Bearer test-local-key").get("/v1/messages/some-id")
                .then().statusCode(500).contentType("application/problem+json")
                .body("type", equalTo(TYPES + "internal")).body("errorId", notNullValue());
    }
}
