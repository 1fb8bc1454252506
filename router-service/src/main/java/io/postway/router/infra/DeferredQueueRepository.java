package io.postway.router.infra;

import io.postway.router.domain.QueueEntry;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** The deferred queue in PostgreSQL (table {@code deferred_entry}). */
public final class DeferredQueueRepository {

    private static final String COLUMNS = "id, message_id, domain, sender, recipients, attempt, submitted_at, deferred_at, "
            + "next_attempt_at, last_diagnosis, policy_rule, policy_version";

    private final DataSource dataSource;

    public DeferredQueueRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public record DomainSummary(String domain, long entries, long recipients, Instant oldestSubmittedAt,
                                Instant nextAttemptAt) {
    }

    /** Inserts unless the same entry is already queued (a replayed record); true when inserted. */
    public boolean insert(QueueEntry e) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return insert(c, e);
        }
    }

    public boolean insert(Connection c, QueueEntry e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO deferred_entry (" + COLUMNS + ", content) "
                + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (id) DO NOTHING")) {
            ps.setObject(1, e.id());
            ps.setString(2, e.messageId());
            ps.setString(3, e.domain());
            ps.setString(4, e.from());
            ps.setArray(5, c.createArrayOf("text", e.recipients().toArray()));
            ps.setInt(6, e.attempt());
            ps.setTimestamp(7, Timestamp.from(e.submittedAt()));
            ps.setTimestamp(8, Timestamp.from(e.deferredAt()));
            ps.setTimestamp(9, Timestamp.from(e.nextAttemptAt()));
            ps.setString(10, e.lastDiagnosis());
            ps.setString(11, e.policyRule());
            ps.setObject(12, e.policyVersion());
            ps.setString(13, e.content());
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Locks up to {@code limit} due entries for this transaction. SKIP LOCKED makes replicas (and
     * parallel claimers) take disjoint sets: an entry being routed by one is invisible to the others
     * until that transaction commits its deletion or rolls back.
     */
    public List<QueueEntry> claimDue(Connection c, Instant now, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", content FROM deferred_entry "
                + "WHERE next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setInt(2, limit);
            return readAll(ps, true);
        }
    }

    /** Locks a message's entries (waiting for a claimer that holds them), for an admin deletion. */
    public List<QueueEntry> lockMessage(Connection c, String messageId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", content FROM deferred_entry "
                + "WHERE message_id = ? ORDER BY domain FOR UPDATE")) {
            ps.setString(1, messageId);
            return readAll(ps, true);
        }
    }

    public void delete(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM deferred_entry WHERE id = ?")) {
            ps.setObject(1, id);
            ps.executeUpdate();
        }
    }

    public void reschedule(Connection c, UUID id, Instant next, String diagnosis) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE deferred_entry SET next_attempt_at = ?, last_diagnosis = ? WHERE id = ?")) {
            ps.setTimestamp(1, Timestamp.from(next));
            ps.setString(2, diagnosis);
            ps.setObject(3, id);
            ps.executeUpdate();
        }
    }

    /** Makes a domain's entries due now ({@code postqueue -s}); returns how many. */
    public int flush(String domain, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "UPDATE deferred_entry SET next_attempt_at = ? WHERE domain = ? AND next_attempt_at > ?")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, domain);
            ps.setTimestamp(3, Timestamp.from(now));
            return ps.executeUpdate();
        }
    }

    public List<DomainSummary> summary() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT domain, count(*), sum(cardinality(recipients)), "
                     + "min(submitted_at), min(next_attempt_at) FROM deferred_entry GROUP BY domain ORDER BY domain");
             ResultSet rs = ps.executeQuery()) {
            List<DomainSummary> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new DomainSummary(rs.getString(1), rs.getLong(2), rs.getLong(3),
                        rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant()));
            }
            return out;
        }
    }

    /** A domain's entries without their content (for the admin API). */
    public List<QueueEntry> entries(String domain) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM deferred_entry WHERE domain = ? "
                     + "ORDER BY next_attempt_at, message_id")) {
            ps.setString(1, domain);
            return readAll(ps, false);
        }
    }

    public List<QueueEntry> entriesOfMessage(String messageId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM deferred_entry WHERE message_id = ? "
                     + "ORDER BY domain")) {
            ps.setString(1, messageId);
            return readAll(ps, false);
        }
    }

    private static List<QueueEntry> readAll(PreparedStatement ps, boolean withContent) throws SQLException {
        List<QueueEntry> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Array recipients = rs.getArray("recipients");
                long version = rs.getLong("policy_version");
                Long policyVersion = rs.wasNull() ? null : version;
                out.add(new QueueEntry(rs.getObject("id", UUID.class), rs.getString("message_id"),
                        rs.getString("domain"), rs.getString("sender"),
                        List.copyOf(Arrays.asList((String[]) recipients.getArray())), rs.getInt("attempt"),
                        rs.getTimestamp("submitted_at").toInstant(), rs.getTimestamp("deferred_at").toInstant(),
                        rs.getTimestamp("next_attempt_at").toInstant(), rs.getString("last_diagnosis"),
                        rs.getString("policy_rule"), policyVersion, withContent ? rs.getString("content") : null));
            }
        }
        return out;
    }
}
