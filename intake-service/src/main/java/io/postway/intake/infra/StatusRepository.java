package io.postway.intake.infra;

import io.agroal.api.AgroalDataSource;
import io.postway.intake.domain.MessageStatus;
import io.postway.intake.domain.ProjectedEvent;
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
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The status projection in PostgreSQL: who submitted which message, and each recipient's latest
 * event — both written only from {@code mail.delivery-events} (the owner from the accepted events' {@code data.client}).
 */
@ApplicationScoped
public class StatusRepository {

    @Inject
    AgroalDataSource ds;

    /** The row a recipient has now: what an event must beat to replace it. */
    private record Current(String status, Instant at, int attempts) {
    }

    /** What one batch does to one recipient's row. */
    private record Write(ProjectedEvent event, int attempts, boolean replaces) {
    }

    /**
     * Applies a polled batch of events in one transaction: the owners named by accepted events,
     * then per recipient the event that wins ({@link RecipientStatus#replaces}: a final outcome is
     * never replaced, accepted never replaces anything, the newer deferral wins) and the highest
     * attempt seen. Idempotent: applying the same events again changes nothing. Returns once
     * committed; a row that another writer inserted meanwhile rolls the batch back
     * ({@link ConcurrentWrite}), so the caller applies it again against what is there now.
     */
    public void applyAll(List<ProjectedEvent> events) throws SQLException {
        Map<List<String>, ProjectedEvent> latest = new LinkedHashMap<>();
        Map<List<String>, Integer> maxAttempt = new HashMap<>();
        Map<String, ProjectedEvent> owners = new LinkedHashMap<>();
        for (ProjectedEvent e : events) {
            List<String> key = List.of(e.messageId(), e.recipient());
            latest.merge(key, e, (cur, next) -> RecipientStatus.replaces(cur.status(), cur.at(), next.status(), next.at()) ? next : cur);
            maxAttempt.merge(key, e.attempt(), Math::max);
            if (e.client() != null) {
                owners.putIfAbsent(e.messageId(), e);
            }
        }
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                insertOwners(c, owners.values());
                Map<List<String>, Current> current = lockCurrent(c, latest.keySet());
                List<ProjectedEvent> inserts = new ArrayList<>();
                List<Write> updates = new ArrayList<>();
                latest.forEach((key, e) -> {
                    int attempts = maxAttempt.get(key);
                    Current cur = current.get(key);
                    if (cur == null) {
                        inserts.add(e);
                    } else if (RecipientStatus.replaces(cur.status(), cur.at(), e.status(), e.at())) {
                        updates.add(new Write(e, Math.max(attempts, cur.attempts()), true));
                    } else if (attempts > cur.attempts()) {
                        updates.add(new Write(e, attempts, false));
                    }
                });
                insertRecipients(c, inserts, maxAttempt);
                updateRecipients(c, updates);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Another writer inserted a recipient row between this batch's read and its insert; nothing was committed. */
    public static final class ConcurrentWrite extends SQLException {
        ConcurrentWrite(int expected, int inserted) {
            super("expected to insert " + expected + " recipient rows, another writer had inserted "
                    + (expected - inserted) + " of them meanwhile", "40001");
        }
    }

    private static void insertOwners(Connection c, Collection<ProjectedEvent> owners) throws SQLException {
        if (owners.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO submitted_message(message_id, client, submitted_at)
                SELECT * FROM unnest(?::text[], ?::text[], ?::timestamptz[]) ON CONFLICT DO NOTHING""")) {
            ps.setArray(1, c.createArrayOf("text", owners.stream().map(ProjectedEvent::messageId).toArray()));
            ps.setArray(2, c.createArrayOf("text", owners.stream().map(ProjectedEvent::client).toArray()));
            ps.setArray(3, c.createArrayOf("timestamptz", owners.stream()
                    .map(e -> timestamp(e.submittedAt() != null ? e.submittedAt() : e.at())).toArray()));
            ps.executeUpdate();
        }
    }

    /** The recipients' rows as they are, locked until the batch commits. */
    private static Map<List<String>, Current> lockCurrent(Connection c, Collection<List<String>> keys) throws SQLException {
        Map<List<String>, Current> current = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT s.message_id, s.recipient, s.status, s.event_at, s.attempts
                  FROM recipient_status s JOIN unnest(?::text[], ?::text[]) AS k(message_id, recipient)
                    ON s.message_id = k.message_id AND s.recipient = k.recipient
                   FOR UPDATE OF s""")) {
            ps.setArray(1, c.createArrayOf("text", keys.stream().map(k -> k.get(0)).toArray()));
            ps.setArray(2, c.createArrayOf("text", keys.stream().map(k -> k.get(1)).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp at = rs.getTimestamp(4);
                    current.put(List.of(rs.getString(1), rs.getString(2)),
                            new Current(rs.getString(3), at == null ? null : at.toInstant(), rs.getInt(5)));
                }
            }
        }
        return current;
    }

    private static void insertRecipients(Connection c, List<ProjectedEvent> rows, Map<List<String>, Integer> maxAttempt) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO recipient_status(message_id, recipient, status, attempts, event_at, last_event)
                SELECT m, r, s, a, t, e::jsonb FROM unnest(?::text[], ?::text[], ?::text[], ?::int4[], ?::timestamptz[], ?::text[]) AS u(m, r, s, a, t, e)
                ON CONFLICT DO NOTHING""")) {
            ps.setArray(1, c.createArrayOf("text", rows.stream().map(ProjectedEvent::messageId).toArray()));
            ps.setArray(2, c.createArrayOf("text", rows.stream().map(ProjectedEvent::recipient).toArray()));
            ps.setArray(3, c.createArrayOf("text", rows.stream().map(ProjectedEvent::status).toArray()));
            ps.setArray(4, c.createArrayOf("int4", rows.stream().map(e -> maxAttempt.get(List.of(e.messageId(), e.recipient()))).toArray()));
            ps.setArray(5, c.createArrayOf("timestamptz", rows.stream().map(e -> timestamp(e.at())).toArray()));
            ps.setArray(6, c.createArrayOf("text", rows.stream().map(ProjectedEvent::dataJson).toArray()));
            int inserted = ps.executeUpdate();
            if (inserted != rows.size()) {
                throw new ConcurrentWrite(rows.size(), inserted);
            }
        }
    }

    /** Replacing writes set the whole row; the others only raise the attempt count. */
    private static void updateRecipients(Connection c, List<Write> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE recipient_status s
                   SET status = CASE WHEN u.replaces THEN u.s ELSE s.status END,
                       event_at = CASE WHEN u.replaces THEN u.t ELSE s.event_at END,
                       last_event = CASE WHEN u.replaces THEN u.e::jsonb ELSE s.last_event END,
                       attempts = u.a
                  FROM unnest(?::text[], ?::text[], ?::bool[], ?::text[], ?::int4[], ?::timestamptz[], ?::text[]) AS u(m, r, replaces, s, a, t, e)
                 WHERE s.message_id = u.m AND s.recipient = u.r""")) {
            ps.setArray(1, c.createArrayOf("text", rows.stream().map(w -> w.event().messageId()).toArray()));
            ps.setArray(2, c.createArrayOf("text", rows.stream().map(w -> w.event().recipient()).toArray()));
            ps.setArray(3, c.createArrayOf("bool", rows.stream().map(Write::replaces).toArray()));
            ps.setArray(4, c.createArrayOf("text", rows.stream().map(w -> w.event().status()).toArray()));
            ps.setArray(5, c.createArrayOf("int4", rows.stream().map(Write::attempts).toArray()));
            ps.setArray(6, c.createArrayOf("timestamptz", rows.stream().map(w -> timestamp(w.event().at())).toArray()));
            ps.setArray(7, c.createArrayOf("text", rows.stream().map(w -> w.event().dataJson()).toArray()));
            ps.executeUpdate();
        }
    }

    private static Timestamp timestamp(Instant at) {
        return at == null ? null : Timestamp.from(at);
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
