package io.postway.intake.infra;

import io.agroal.api.AgroalDataSource;
import io.postway.intake.IntakeTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(value = IntakeTestResource.class, initArgs = @ResourceArg(name = "database", value = "postway_intake_test"))
class IdempotencyCleanupTest {

    @Inject
    IdempotencyCleanup cleanup;

    @Inject
    AgroalDataSource ds;

    @Test
    void deletesKeysOlderThanTheTtlAndKeepsFreshOnes() throws Exception {
        String client = "cleanup-test-" + UUID.randomUUID();
        insert(client, "old", Instant.now().minus(Duration.ofHours(25)));
        insert(client, "fresh", Instant.now().minus(Duration.ofHours(23)));
        try {
            assertTrue(cleanup.deleteExpired() >= 1, "at least the expired row was deleted");
            assertFalse(exists(client, "old"), "expired key deleted");
            assertTrue(exists(client, "fresh"), "key within the TTL kept");
        } finally {
            try (Connection c = ds.getConnection(); PreparedStatement d = c.prepareStatement("DELETE FROM idempotency_key WHERE client=?")) {
                d.setString(1, client);
                d.executeUpdate();
            }
        }
    }

    void insert(String client, String key, Instant at) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement p = c.prepareStatement(
                "INSERT INTO idempotency_key(client, idem_key, created_at, message_id, recipients) VALUES (?,?,?,'x',1)")) {
            p.setString(1, client);
            p.setString(2, key);
            p.setTimestamp(3, Timestamp.from(at));
            p.executeUpdate();
        }
    }

    boolean exists(String client, String key) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement p = c.prepareStatement(
                "SELECT 1 FROM idempotency_key WHERE client=? AND idem_key=?")) {
            p.setString(1, client);
            p.setString(2, key);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }
}
