package io.postway.intake.infra;

import io.agroal.api.AgroalDataSource;
import io.postway.intake.domain.Accepted;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Idempotency keys per client in PostgreSQL. A request first reserves its key; the reservation
 * then keeps the accepted message ({@link #complete}), or is released when nothing was accepted
 * (so a refused or 503 request can be retried with the same key). The protocol is
 * {@code IdempotentSubmissions}'.
 */
@ApplicationScoped
public class IdempotencyRepository {

    /** Outcome of {@link #reserve}: reserved (go on), the message accepted before, or another request holding the key. */
    public record Reservation(boolean reserved, Optional<Accepted> accepted) {
    }

    @Inject
    AgroalDataSource ds;

    public Reservation reserve(String client, String key, Duration ttl) throws SQLException {
        Instant now = Instant.now();
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement del = c.prepareStatement(
                    "DELETE FROM idempotency_key WHERE client=? AND idem_key=? AND created_at < ?")) {
                del.setString(1, client);
                del.setString(2, key);
                del.setTimestamp(3, Timestamp.from(now.minus(ttl)));
                del.executeUpdate();
            }
            try (PreparedStatement ins = c.prepareStatement(
                    "INSERT INTO idempotency_key(client, idem_key, created_at) VALUES (?,?,?) ON CONFLICT DO NOTHING")) {
                ins.setString(1, client);
                ins.setString(2, key);
                ins.setTimestamp(3, Timestamp.from(now));
                if (ins.executeUpdate() == 1) {
                    return new Reservation(true, Optional.empty());
                }
            }
            try (PreparedStatement sel = c.prepareStatement(
                    "SELECT message_id, recipients FROM idempotency_key WHERE client=? AND idem_key=?")) {
                sel.setString(1, client);
                sel.setString(2, key);
                try (ResultSet rs = sel.executeQuery()) {
                    if (rs.next() && rs.getString(1) != null) {
                        return new Reservation(false, Optional.of(new Accepted(rs.getString(1), rs.getInt(2))));
                    }
                }
            }
            return new Reservation(false, Optional.empty());
        }
    }

    public void complete(String client, String key, Accepted accepted) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement up = c.prepareStatement(
                     "UPDATE idempotency_key SET message_id=?, recipients=? WHERE client=? AND idem_key=?")) {
            up.setString(1, accepted.messageId());
            up.setInt(2, accepted.recipients());
            up.setString(3, client);
            up.setString(4, key);
            up.executeUpdate();
        }
    }

    public void release(String client, String key) {
        try (Connection c = ds.getConnection();
             PreparedStatement del = c.prepareStatement(
                     "DELETE FROM idempotency_key WHERE client=? AND idem_key=? AND message_id IS NULL")) {
            del.setString(1, client);
            del.setString(2, key);
            del.executeUpdate();
        } catch (SQLException e) {
            // the reservation then expires with the TTL; the client sees 409 until then
            org.jboss.logging.Logger.getLogger(IdempotencyRepository.class).warnf("could not release an idempotency reservation: %s", e.getMessage());
        }
    }

    /** Deletes every answer and reservation older than {@code ttl}; returns how many. */
    public int deleteExpired(Duration ttl) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement del = c.prepareStatement("DELETE FROM idempotency_key WHERE created_at < ?")) {
            del.setTimestamp(1, Timestamp.from(Instant.now().minus(ttl)));
            return del.executeUpdate();
        }
    }
}
