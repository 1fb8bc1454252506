package io.postway.policy.infra;

import io.postway.contract.json.ContractJson;
import io.postway.contract.policy.PolicyRule;
import io.postway.policy.domain.PolicyDiff;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.postway.policy.infra.Transactions.sql;

/**
 * JDBC access to the policy tables within one transaction: {@link Transactions} creates it over
 * the transaction's connection, so every statement of a use case commits or rolls back together.
 * A rule's body is the contract's JSON of {@link PolicyRule} ({@link ContractJson}), the same text
 * that is published, so "the rule as stored" and "the topic value" cannot drift apart.
 */
public class PolicyRepository {

    private final Connection c;

    PolicyRepository(Connection c) {
        this.c = c;
    }

    /** The probe and review tables, in this same transaction. */
    public ProbeRepository probes() {
        return new ProbeRepository(c);
    }

    /** The outbox of mail.policy-reviews, in this same transaction. */
    public ReviewEventRepository reviewEvents() {
        return new ReviewEventRepository(c);
    }

    public TlsReportRepository tlsReports() {
        return new TlsReportRepository(c);
    }

    public record HistoryRow(String rule, long version, String action, String changesJson, Instant at, String by) {
    }

    public record OutboxRow(long id, String rule, String payload) {
    }

    /** Rows committed but not yet acknowledged by Kafka, and the age of the oldest. */
    public record OutboxBacklog(long pending, long oldestPendingSeconds) {
    }

    public enum LockMode {
        NONE(""), SHARE(" FOR SHARE"), UPDATE(" FOR UPDATE");

        final String sql;

        LockMode(String sql) {
            this.sql = sql;
        }
    }

    /** Locks and reads a rule ({@code FOR UPDATE}), or only guards it against change ({@code FOR SHARE}). */
    public Optional<PolicyRule> find(String rule, LockMode lock) {
        return sql(() -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT body FROM policy_rule WHERE rule = ?" + lock.sql)) {
                ps.setString(1, rule);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(readRule(rs.getString(1))) : Optional.empty();
                }
            }
        });
    }

    public List<PolicyRule> findAll() {
        return sql(() -> {
            List<PolicyRule> rules = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT body FROM policy_rule ORDER BY rule = 'default' DESC, rule");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rules.add(readRule(rs.getString(1)));
                }
            }
            return rules;
        });
    }

    /** The highest version a rule ever had, deleted incarnations included, so versions never repeat. */
    public long lastVersion(String rule) {
        return sql(() -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(version), 0) FROM policy_history WHERE rule = ?")) {
                ps.setString(1, rule);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** Inserts the rule unless it exists; false when another transaction created it meanwhile. */
    public boolean insert(PolicyRule r) {
        return sql(() -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO policy_rule (rule, version, body, updated_at, updated_by) VALUES (?, ?, ?::jsonb, ?, ?)
                    ON CONFLICT (rule) DO NOTHING""")) {
                ps.setString(1, r.rule());
                ps.setLong(2, r.version());
                ps.setString(3, ContractJson.write(r));
                ps.setTimestamp(4, Timestamp.from(r.updatedAt()));
                ps.setString(5, r.updatedBy());
                return ps.executeUpdate() == 1;
            }
        });
    }

    public void update(PolicyRule r) {
        sql(() -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE policy_rule SET version = ?, body = ?::jsonb, updated_at = ?, updated_by = ? WHERE rule = ?")) {
                ps.setLong(1, r.version());
                ps.setString(2, ContractJson.write(r));
                ps.setTimestamp(3, Timestamp.from(r.updatedAt()));
                ps.setString(4, r.updatedBy());
                ps.setString(5, r.rule());
                if (ps.executeUpdate() != 1) {
                    throw new SQLException("rule " + r.rule() + " vanished while locked");
                }
                return null;
            }
        });
    }

    public void delete(String rule) {
        execute("DELETE FROM policy_rule WHERE rule = ?", rule);
    }

    public void addHistory(String rule, long version, String action, List<PolicyDiff.Change> changes, Instant at, String by) {
        sql(() -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO policy_history (rule, version, action, changes, changed_at, changed_by)
                    VALUES (?, ?, ?, ?::jsonb, ?, ?)""")) {
                ps.setString(1, rule);
                ps.setLong(2, version);
                ps.setString(3, action);
                ps.setString(4, ContractJson.write(changes));
                ps.setTimestamp(5, Timestamp.from(at));
                ps.setString(6, by);
                return ps.executeUpdate();
            }
        });
    }

    public List<HistoryRow> history(String rule) {
        return sql(() -> {
            List<HistoryRow> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT rule, version, action, changes::text, changed_at, changed_by FROM policy_history
                    WHERE rule = ? ORDER BY id""")) {
                ps.setString(1, rule);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new HistoryRow(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                                rs.getTimestamp(5).toInstant(), rs.getString(6)));
                    }
                }
            }
            return rows;
        });
    }

    /** Queues a rule's new value for {@code mail.policy-changes}: the contract's JSON, as stored. */
    public void queueChange(PolicyRule value) {
        execute("INSERT INTO policy_outbox (rule, payload) VALUES (?, ?)", value.rule(), ContractJson.write(value));
    }

    /** Queues the tombstone (a null value) that tells consumers a rule was deleted. */
    public void queueTombstone(String rule) {
        execute("INSERT INTO policy_outbox (rule, payload) VALUES (?, ?)", rule, null);
    }

    public List<OutboxRow> pendingOutbox(int limit) {
        return sql(() -> {
            List<OutboxRow> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, rule, payload FROM policy_outbox WHERE sent_at IS NULL ORDER BY id LIMIT ?")) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new OutboxRow(rs.getLong(1), rs.getString(2), rs.getString(3)));
                    }
                }
            }
            return rows;
        });
    }

    public void markSent(List<Long> ids) {
        sql(() -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE policy_outbox SET sent_at = now() WHERE id = ANY (?)")) {
                ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
                return ps.executeUpdate();
            }
        });
    }

    /** For the readiness report and the pending gauge. */
    public OutboxBacklog outboxBacklog() {
        return sql(() -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0) FROM policy_outbox WHERE sent_at IS NULL");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new OutboxBacklog(rs.getLong(1), (long) rs.getDouble(2));
            }
        });
    }

    /** Only one publisher at a time sends, so the topic gets the rows in commit order; released at commit. */
    public boolean tryPublisherLock() {
        return sql(() -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_xact_lock(hashtext('postway.policy.outbox'))");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        });
    }

    private void execute(String sql, String... args) {
        sql(() -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setString(i + 1, args[i]);
                }
                return ps.executeUpdate();
            }
        });
    }


    private static PolicyRule readRule(String body) {
        return ContractJson.read(body, PolicyRule.class);
    }
}
