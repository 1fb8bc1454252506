package io.postway.intake.infra;

import io.agroal.api.AgroalDataSource;
import io.postway.intake.domain.MessageStatus;
import io.postway.intake.domain.RecipientStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The status projection in PostgreSQL: who submitted which message, and each recipient's latest event. */
@ApplicationScoped
public class StatusRepository {

    @Inject
    AgroalDataSource ds;

    /** Records an accepted message and its recipients (ACCEPTED); idempotent. */
    public void recordAccepted(String messageId, String client, Instant submittedAt, String from, long size,
                               List<String> recipients, List<String> acceptedEventData) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement m = c.prepareStatement(
                    "INSERT INTO submitted_message(message_id, client, submitted_at, sender, size_bytes) VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING");
                 PreparedStatement r = c.prepareStatement(
                         "INSERT INTO recipient_status(message_id, recipient, status, attempts, event_at, last_event) VALUES (?,?,'ACCEPTED',0,?,?::jsonb) ON CONFLICT DO NOTHING")) {
                m.setString(1, messageId);
                m.setString(2, client);
                m.setTimestamp(3, Timestamp.from(submittedAt));
                m.setString(4, from);
                m.setLong(5, size);
                m.executeUpdate();
                for (int i = 0; i < recipients.size(); i++) {
                    r.setString(1, messageId);
                    r.setString(2, recipients.get(i));
                    r.setTimestamp(3, Timestamp.from(submittedAt));
                    r.setString(4, acceptedEventData.get(i));
                    r.addBatch();
                }
                r.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Applies one delivery event if it is newer than what the recipient shows. */
    public void apply(String messageId, String recipient, String status, int attempt, Instant at, String dataJson) throws SQLException {
        if ("ACCEPTED".equals(status) && attempt == 0) {
            // accepted never replaces a row (RecipientStatus.replaces) and is usually already written by
            // recordAccepted: one autocommitted insert instead of a locking read-modify-write per recipient
            try (Connection c = ds.getConnection();
                 PreparedStatement ins = c.prepareStatement(
                         "INSERT INTO recipient_status(message_id, recipient, status, attempts, event_at, last_event) VALUES (?,?,'ACCEPTED',0,?,?::jsonb) ON CONFLICT DO NOTHING")) {
                ins.setString(1, messageId);
                ins.setString(2, recipient);
                ins.setTimestamp(3, at == null ? null : Timestamp.from(at));
                ins.setString(4, dataJson);
                ins.executeUpdate();
            }
            return;
        }
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ins = c.prepareStatement(
                        "INSERT INTO recipient_status(message_id, recipient, status, attempts, event_at, last_event) VALUES (?,?,?,?,?,?::jsonb) ON CONFLICT DO NOTHING")) {
                    ins.setString(1, messageId);
                    ins.setString(2, recipient);
                    ins.setString(3, status);
                    ins.setInt(4, attempt);
                    ins.setTimestamp(5, at == null ? null : Timestamp.from(at));
                    ins.setString(6, dataJson);
                    if (ins.executeUpdate() == 1) {
                        c.commit();
                        return;
                    }
                }
                String curStatus;
                Instant curAt;
                int curAttempts;
                try (PreparedStatement sel = c.prepareStatement(
                        "SELECT status, event_at, attempts FROM recipient_status WHERE message_id=? AND recipient=? FOR UPDATE")) {
                    sel.setString(1, messageId);
                    sel.setString(2, recipient);
                    try (ResultSet rs = sel.executeQuery()) {
                        rs.next();
                        curStatus = rs.getString(1);
                        Timestamp t = rs.getTimestamp(2);
                        curAt = t == null ? null : t.toInstant();
                        curAttempts = rs.getInt(3);
                    }
                }
                int attempts = Math.max(curAttempts, attempt);
                if (RecipientStatus.replaces(curStatus, curAt, status, at)) {
                    try (PreparedStatement up = c.prepareStatement(
                            "UPDATE recipient_status SET status=?, attempts=?, event_at=?, last_event=?::jsonb WHERE message_id=? AND recipient=?")) {
                        up.setString(1, status);
                        up.setInt(2, attempts);
                        up.setTimestamp(3, at == null ? null : Timestamp.from(at));
                        up.setString(4, dataJson);
                        up.setString(5, messageId);
                        up.setString(6, recipient);
                        up.executeUpdate();
                    }
                } else if (attempts != curAttempts) {
                    try (PreparedStatement up = c.prepareStatement(
                            "UPDATE recipient_status SET attempts=? WHERE message_id=? AND recipient=?")) {
                        up.setInt(1, attempts);
                        up.setString(2, messageId);
                        up.setString(3, recipient);
                        up.executeUpdate();
                    }
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** The recipients of a message, when {@code client} submitted it. */
    public Optional<List<MessageStatus.Recipient>> find(String messageId, String client) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement own = c.prepareStatement("SELECT 1 FROM submitted_message WHERE message_id=? AND client=?")) {
            own.setString(1, messageId);
            own.setString(2, client);
            try (ResultSet rs = own.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
            }
            List<MessageStatus.Recipient> rows = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT recipient, status, attempts, last_event::text FROM recipient_status WHERE message_id=? ORDER BY recipient")) {
                q.setString(1, messageId);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new MessageStatus.Recipient(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4)));
                    }
                }
            }
            return Optional.of(rows);
        }
    }
}
