package io.postway.router.infra;

import io.postway.router.domain.QueueEntry;
import io.postway.router.domain.RoutingDecision;

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
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The deferred queue in PostgreSQL (table {@code deferred_entry}). The transactions stay in here:
 * a caller hands in the decision for each entry it is given, and the entry is removed (routed,
 * expired, bounced) or rescheduled ({@link RoutingDecision.Wait}) in the transaction that holds
 * its lock.
 */
public final class DeferredQueueRepository {

    private static final String COLUMNS = "id, message_id, domain, sender, recipients, attempt, submitted_at, deferred_at, "
            + "next_attempt_at, last_diagnosis, policy_rule, policy_version";

    private final DataSource dataSource;

    public DeferredQueueRepository(DataSource dataSource) {
        this.dataSource = dataSource;
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

    private static final String INSERT = "INSERT INTO deferred_entry (" + COLUMNS + ", content) "
            + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (id) DO NOTHING";

    private static boolean insert(Connection c, QueueEntry e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            bind(c, ps, e);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Inserts every entry (an entry already queued is skipped, as in {@link #insert}) in one
     * transaction and one JDBC batch: one round trip and one commit for all of them.
     */
    public void insertAll(List<QueueEntry> entries) throws SQLException {
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                for (QueueEntry e : entries) {
                    bind(c, ps, e);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    private static void bind(Connection c, PreparedStatement ps, QueueEntry e) throws SQLException {
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
        ps.setBytes(13, e.content());
    }

    /** An entry and what was decided for it. */
    public record Decided(QueueEntry entry, RoutingDecision decision) {
    }

    /** Decides an entry it is given under its lock; may fail (then everything is rolled back). */
    @FunctionalInterface
    public interface Decider {
        RoutingDecision decide(QueueEntry entry) throws Exception;
    }

    /**
     * Locks up to {@code limit} due entries and applies {@code decide}'s decision to each, in due
     * order, in one transaction. SKIP LOCKED makes replicas (and parallel claimers) take disjoint
     * sets: an entry being decided by one is invisible to the others until that transaction
     * commits or rolls back. An empty decision leaves that entry and the rest as they are and ends
     * the claim; what was decided before it is committed.
     */
    public List<Decided> claimDue(Instant now, int limit, Function<QueueEntry, Optional<RoutingDecision>> decide)
            throws SQLException {
        return inTransaction(c -> {
            List<Decided> done = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", content FROM deferred_entry "
                    + "WHERE next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED")) {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.setInt(2, limit);
                for (QueueEntry entry : readAll(ps, true)) {
                    Optional<RoutingDecision> decision = decide.apply(entry);
                    if (decision.isEmpty()) {
                        break;
                    }
                    apply(c, entry, decision.get());
                    done.add(new Decided(entry, decision.get()));
                }
            }
            return done;
        });
    }

    /**
     * Locks every entry of a message (waiting for a claimer that holds one) and applies {@code
     * decide}'s decision to each: all or nothing, a failing decision rolls every one back.
     */
    public List<Decided> claimMessage(String messageId, Decider decide) throws Exception {
        return inTransaction(c -> {
            List<Decided> done = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", content FROM deferred_entry "
                    + "WHERE message_id = ? ORDER BY domain FOR UPDATE")) {
                ps.setString(1, messageId);
                for (QueueEntry entry : readAll(ps, true)) {
                    RoutingDecision decision = decide.decide(entry);
                    apply(c, entry, decision);
                    done.add(new Decided(entry, decision));
                }
            }
            return done;
        });
    }

    private static void apply(Connection c, QueueEntry entry, RoutingDecision decision) throws SQLException {
        if (decision instanceof RoutingDecision.Wait wait) {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE deferred_entry SET next_attempt_at = ?, last_diagnosis = ? WHERE id = ?")) {
                ps.setTimestamp(1, Timestamp.from(wait.nextAttemptAt()));
                ps.setString(2, wait.diagnosis());
                ps.setObject(3, entry.id());
                ps.executeUpdate();
            }
        } else {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM deferred_entry WHERE id = ?")) {
                ps.setObject(1, entry.id());
                ps.executeUpdate();
            }
        }
    }

    @FunctionalInterface
    private interface Work<T, E extends Exception> {
        T run(Connection c) throws SQLException, E;
    }

    private <T, E extends Exception> T inTransaction(Work<T, E> work) throws SQLException, E {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (Exception e) {
                c.rollback();
                throw e;
            }
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
                        rs.getString("policy_rule"), policyVersion, withContent ? rs.getBytes("content") : null));
            }
        }
        return out;
    }
}
