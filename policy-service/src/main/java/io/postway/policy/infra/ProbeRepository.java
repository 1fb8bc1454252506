package io.postway.policy.infra;

import io.postway.contract.json.ContractJson;
import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.probe.ProbeResult;
import io.postway.contract.probe.ProbeStatus;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.postway.policy.infra.Transactions.sql;

/** JDBC access to probes and override reviews, within the transaction of {@link Transactions}. */
public class ProbeRepository {

    private final Connection c;

    ProbeRepository(Connection c) {
        this.c = c;
    }

    /** A stored probe: {@code result} is null while RUNNING (and when it FAILED without an answer). */
    public record ProbeRow(UUID id, String domain, ProbeStatus status, String reason, Instant requestedAt, Instant finishedAt,
                           String failure, EffectivePolicy policy, ProbeResult result) {
    }

    /** A rule's review: due date, what it weakens, the latest re-probe and, when the remote was found fixed, the note. */
    public record ReviewRow(String rule, Instant dueAt, List<String> weakens, UUID lastProbeId, Instant lastProbeAt,
                            Instant fixedAt, String fixedNote) {
    }

    public void insert(ProbeRow p) {
        sql(() -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO probe (id, domain, status, reason, requested_at, policy) VALUES (?, ?, ?, ?, ?, ?::jsonb)""")) {
                ps.setObject(1, p.id());
                ps.setString(2, p.domain());
                ps.setString(3, p.status().name());
                ps.setString(4, p.reason());
                ps.setTimestamp(5, Timestamp.from(p.requestedAt()));
                ps.setString(6, ContractJson.write(p.policy()));
                return ps.executeUpdate();
            }
        });
    }

    /** Stores delivery's answer unless the probe already ended (a redelivered answer, or one after the deadline). */
    public boolean complete(ProbeResult r, Instant at) {
        return sql(() -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE probe SET status = ?, finished_at = ?, failure = ?, result = ?::jsonb
                    WHERE id = ? AND status = 'RUNNING'""")) {
                ps.setString(1, r.status().name());
                ps.setTimestamp(2, Timestamp.from(at));
                ps.setString(3, r.failure());
                ps.setString(4, ContractJson.write(r));
                ps.setObject(5, UUID.fromString(r.probeId()));
                return ps.executeUpdate() == 1;
            } catch (IllegalArgumentException e) {
                return false; // not one of our ids
            }
        });
    }

    public void fail(UUID id, String why, Instant at) {
        sql(() -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE probe SET status = 'FAILED', finished_at = ?, failure = ? WHERE id = ? AND status = 'RUNNING'")) {
                ps.setTimestamp(1, Timestamp.from(at));
                ps.setString(2, why);
                ps.setObject(3, id);
                return ps.executeUpdate();
            }
        });
    }

    /** Ends every probe that waited longer than {@code answerTimeout} for delivery. */
    public int expire(Duration answerTimeout, Instant now) {
        return sql(() -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE probe SET status = 'FAILED', finished_at = ?, failure = ?
                    WHERE status = 'RUNNING' AND requested_at < ?""")) {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.setString(2, "delivery-service did not answer within " + answerTimeout.toSeconds()
                        + " s: is a delivery-service running and reading mail.probe-requests?");
                ps.setTimestamp(3, Timestamp.from(now.minus(answerTimeout)));
                return ps.executeUpdate();
            }
        });
    }

    public Optional<ProbeRow> find(UUID id) {
        List<ProbeRow> rows = select("WHERE id = ?", id, 1);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** Newest first. */
    public List<ProbeRow> ofDomain(String domain, int limit) {
        return select("WHERE domain = ?", domain, limit);
    }

    /** The newest probe of the domain that delivery answered with host facts. */
    public Optional<ProbeRow> latestDone(String domain) {
        List<ProbeRow> rows = select("WHERE domain = ? AND status = 'DONE'", domain, 1);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private List<ProbeRow> select(String where, Object arg, int limit) {
        return sql(() -> {
            List<ProbeRow> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, domain, status, reason, requested_at, finished_at, failure,"
                    + " policy::text, result::text FROM probe " + where + " ORDER BY requested_at DESC, id LIMIT ?")) {
                ps.setObject(1, arg);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Timestamp fin = rs.getTimestamp(6);
                        String result = rs.getString(9);
                        out.add(new ProbeRow(rs.getObject(1, UUID.class), rs.getString(2), ProbeStatus.valueOf(rs.getString(3)),
                                rs.getString(4), rs.getTimestamp(5).toInstant(), fin == null ? null : fin.toInstant(), rs.getString(7),
                                ContractJson.read(rs.getString(8), EffectivePolicy.class),
                                result == null ? null : ContractJson.read(result, ProbeResult.class)));
                    }
                }
            }
            return out;
        });
    }

    /** Sets the review of a weakening rule; a note the remote was fixed survives only while the rule weakens the same fields. */
    public void upsertReview(String rule, Instant dueAt, List<String> weakens) {
        sql(() -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO policy_review (rule, due_at, weakens) VALUES (?, ?, ?::jsonb)
                    ON CONFLICT (rule) DO UPDATE SET due_at = EXCLUDED.due_at, weakens = EXCLUDED.weakens,
                        fixed_at = CASE WHEN policy_review.weakens = EXCLUDED.weakens THEN policy_review.fixed_at END,
                        fixed_note = CASE WHEN policy_review.weakens = EXCLUDED.weakens THEN policy_review.fixed_note END""")) {
                ps.setString(1, rule);
                ps.setTimestamp(2, Timestamp.from(dueAt));
                ps.setString(3, ContractJson.write(weakens));
                return ps.executeUpdate();
            }
        });
    }

    public void deleteReview(String rule) {
        sql(() -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM policy_review WHERE rule = ?")) {
                ps.setString(1, rule);
                return ps.executeUpdate();
            }
        });
    }

    public Optional<ReviewRow> review(String rule) {
        List<ReviewRow> rows = reviews("WHERE rule = ?", rule);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public List<ReviewRow> allReviews() {
        return reviews("", null);
    }

    /** Records a re-probe's verdict: the note when the remote now takes mail without the override, else none. */
    public void reviewProbed(String rule, UUID probeId, Instant at, String fixedNote) {
        sql(() -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE policy_review SET last_probe_id = ?, last_probe_at = ?,
                        fixed_at = CASE WHEN ?::text IS NULL THEN NULL ELSE coalesce(fixed_at, ?) END, fixed_note = ?
                    WHERE rule = ?""")) {
                ps.setObject(1, probeId);
                ps.setTimestamp(2, Timestamp.from(at));
                ps.setString(3, fixedNote);
                ps.setTimestamp(4, Timestamp.from(at));
                ps.setString(5, fixedNote);
                ps.setString(6, rule);
                return ps.executeUpdate();
            }
        });
    }

    /** Marks that a re-probe was asked for, so the next pass does not ask again before the interval. */
    public void reprobeRequested(String rule, UUID probeId, Instant at) {
        sql(() -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE policy_review SET last_probe_id = ?, last_probe_at = ? WHERE rule = ?")) {
                ps.setObject(1, probeId);
                ps.setTimestamp(2, Timestamp.from(at));
                ps.setString(3, rule);
                return ps.executeUpdate();
            }
        });
    }

    private List<ReviewRow> reviews(String where, String arg) {
        return sql(() -> {
            List<ReviewRow> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT rule, due_at, weakens::text, last_probe_id, last_probe_at,"
                    + " fixed_at, fixed_note FROM policy_review " + where + " ORDER BY rule")) {
                if (arg != null) {
                    ps.setString(1, arg);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new ReviewRow(rs.getString(1), rs.getTimestamp(2).toInstant(),
                                List.of(ContractJson.read(rs.getString(3), String[].class)), rs.getObject(4, UUID.class),
                                instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6)), rs.getString(7)));
                    }
                }
            }
            return out;
        });
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

}
