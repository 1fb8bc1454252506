package io.postway.policy.infra;

import com.fasterxml.jackson.core.type.TypeReference;
import io.postway.contract.json.ContractJson;
import io.postway.contract.tlsrpt.PolicyType;
import io.postway.contract.tlsrpt.ResultType;
import io.postway.policy.tlsrpt.Attempt;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.postway.policy.infra.Transactions.sql;

/** JDBC access to the TLS-RPT tables (V3), within the transaction of {@link Transactions}. */
public class TlsReportRepository {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private final Connection c;

    TlsReportRepository(Connection c) {
        this.c = c;
    }

    public record ReportRow(String reportId, String policyDomain, LocalDate day, Instant createdAt, List<String> rua,
                            String ruaProblem, String report) {
    }

    public record DestinationRow(String reportId, String uri, String status, int attempts, Instant nextAttemptAt,
                                 Instant sentAt, String lastError) {
    }

    public record SendRow(String reportId, String uri, Instant at, boolean ok, String detail) {
    }

    /** Records the attempts; one already recorded (same event id: a replayed event) is left as it is. */
    public int insertAttempts(List<Attempt> attempts) {
        return sql(() -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO tlsrpt_attempt (event_id, day, policy_domain, message_id, attempt, policy_type, policy_strings,
                        mx_host, result_type, receiving_mx, receiving_ip, reason, at)
                    VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING""")) {
                for (Attempt a : attempts) {
                    ps.setString(1, a.eventId());
                    ps.setDate(2, Date.valueOf(a.day()));
                    ps.setString(3, a.policyDomain());
                    ps.setString(4, a.messageId());
                    ps.setInt(5, a.attempt());
                    ps.setString(6, a.policyType().wireName());
                    ps.setString(7, ContractJson.write(a.policyStrings()));
                    ps.setString(8, ContractJson.write(a.mxHost()));
                    ps.setString(9, a.result() == null ? null : a.result().wireName());
                    ps.setString(10, a.receivingMx());
                    ps.setString(11, a.receivingIp());
                    ps.setString(12, a.reason());
                    ps.setTimestamp(13, Timestamp.from(a.at()));
                    ps.addBatch();
                }
                int n = 0;
                for (int r : ps.executeBatch()) {
                    n += Math.max(r, 0);
                }
                return n;
            }
        });
    }

    /** The policy domains with attempts on {@code day} and no report yet. */
    public List<String> domainsWithoutReport(LocalDate day) {
        return sql(() -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT DISTINCT a.policy_domain FROM tlsrpt_attempt a
                    WHERE a.day = ? AND NOT EXISTS (SELECT 1 FROM tlsrpt_report r WHERE r.policy_domain = a.policy_domain AND r.day = a.day)
                    ORDER BY a.policy_domain""")) {
                ps.setDate(1, Date.valueOf(day));
                List<String> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            }
        });
    }

    public List<Attempt> attempts(String policyDomain, LocalDate day) {
        return sql(() -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT event_id, day, policy_domain, message_id, attempt, policy_type, policy_strings, mx_host, result_type,
                        receiving_mx, receiving_ip, reason, at
                    FROM tlsrpt_attempt WHERE policy_domain = ? AND day = ? ORDER BY at, event_id""")) {
                ps.setString(1, policyDomain);
                ps.setDate(2, Date.valueOf(day));
                List<Attempt> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Attempt(rs.getString(1), rs.getDate(2).toLocalDate(), rs.getString(3), rs.getString(4),
                                rs.getInt(5), PolicyType.fromWireName(rs.getString(6)), strings(rs.getString(7)),
                                strings(rs.getString(8)),
                                rs.getString(9) == null ? null : ResultType.fromWireName(rs.getString(9)).orElseThrow(),
                                rs.getString(10), rs.getString(11), rs.getString(12), rs.getTimestamp(13).toInstant()));
                    }
                }
                return out;
            }
        });
    }

    /** Stores a built report and its destinations (PENDING, due now); false when the day's report of the domain exists. */
    public boolean insertReport(ReportRow r) {
        return sql(() -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO tlsrpt_report (report_id, policy_domain, day, created_at, rua, rua_problem, report)
                    VALUES (?, ?, ?, ?, ?::jsonb, ?, ?::jsonb) ON CONFLICT DO NOTHING""")) {
                ps.setString(1, r.reportId());
                ps.setString(2, r.policyDomain());
                ps.setDate(3, Date.valueOf(r.day()));
                ps.setTimestamp(4, Timestamp.from(r.createdAt()));
                ps.setString(5, ContractJson.write(r.rua()));
                ps.setString(6, r.ruaProblem());
                ps.setString(7, r.report());
                if (ps.executeUpdate() == 0) {
                    return false;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO tlsrpt_destination (report_id, uri, status, next_attempt_at) VALUES (?, ?, 'PENDING', ?)
                    ON CONFLICT DO NOTHING""")) {
                for (String uri : r.rua()) {
                    ps.setString(1, r.reportId());
                    ps.setString(2, uri);
                    ps.setTimestamp(3, Timestamp.from(r.createdAt()));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return true;
        });
    }

    /**
     * Takes the next destination due for a send and locks it until the transaction ends, so two
     * instances (or the scheduler and an admin's run) never send the same report to the same place.
     */
    public Optional<DestinationRow> claimDue(Instant now) {
        return sql(() -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT report_id, uri, status, attempts, next_attempt_at, sent_at, last_error FROM tlsrpt_destination
                    WHERE status = 'PENDING' AND next_attempt_at <= ? ORDER BY next_attempt_at, report_id, uri
                    LIMIT 1 FOR UPDATE SKIP LOCKED""")) {
                ps.setTimestamp(1, Timestamp.from(now));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(destination(rs)) : Optional.empty();
                }
            }
        });
    }

    /** Records one send attempt and the destination's new state. */
    public void recordSend(DestinationRow d, Instant at, boolean ok, String detail, String status, Instant nextAttemptAt) {
        sql(() -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO tlsrpt_send (report_id, uri, at, ok, detail) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, d.reportId());
                ps.setString(2, d.uri());
                ps.setTimestamp(3, Timestamp.from(at));
                ps.setBoolean(4, ok);
                ps.setString(5, detail);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE tlsrpt_destination SET status = ?, attempts = attempts + 1, next_attempt_at = ?, sent_at = ?,
                        last_error = ? WHERE report_id = ? AND uri = ?""")) {
                ps.setString(1, status);
                ps.setTimestamp(2, Timestamp.from(nextAttemptAt));
                ps.setTimestamp(3, ok ? Timestamp.from(at) : null);
                ps.setString(4, ok ? null : detail);
                ps.setString(5, d.reportId());
                ps.setString(6, d.uri());
                return ps.executeUpdate();
            }
        });
    }

    public Optional<ReportRow> report(String reportId) {
        List<ReportRow> rows = select("report_id = ?", reportId);
        return rows.stream().findFirst();
    }

    /** Reports, newest day first; null arguments match everything. */
    public List<ReportRow> reports(String policyDomain, LocalDate day) {
        if (policyDomain != null && day != null) {
            return select("policy_domain = ? AND day = ?", policyDomain, day);
        }
        if (policyDomain != null) {
            return select("policy_domain = ?", policyDomain);
        }
        return day != null ? select("day = ?", day) : select("TRUE");
    }

    private List<ReportRow> select(String where, Object... args) {
        return sql(() -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT report_id, policy_domain, day, created_at, rua, rua_problem, report FROM tlsrpt_report
                    WHERE %s ORDER BY day DESC, policy_domain LIMIT 500""".formatted(where))) {
                for (int i = 0; i < args.length; i++) {
                    if (args[i] instanceof LocalDate d) {
                        ps.setDate(i + 1, Date.valueOf(d));
                    } else {
                        ps.setString(i + 1, (String) args[i]);
                    }
                }
                List<ReportRow> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new ReportRow(rs.getString(1), rs.getString(2), rs.getDate(3).toLocalDate(),
                                rs.getTimestamp(4).toInstant(), strings(rs.getString(5)), rs.getString(6),
                                rs.getString(7)));
                    }
                }
                return out;
            }
        });
    }

    public List<DestinationRow> destinations(String reportId) {
        return sql(() -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT report_id, uri, status, attempts, next_attempt_at, sent_at, last_error FROM tlsrpt_destination
                    WHERE report_id = ? ORDER BY uri""")) {
                ps.setString(1, reportId);
                List<DestinationRow> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(destination(rs));
                    }
                }
                return out;
            }
        });
    }

    public List<SendRow> sends(String reportId) {
        return sql(() -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT report_id, uri, at, ok, detail FROM tlsrpt_send WHERE report_id = ? ORDER BY at, id")) {
                ps.setString(1, reportId);
                List<SendRow> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new SendRow(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getBoolean(4),
                                rs.getString(5)));
                    }
                }
                return out;
            }
        });
    }

    private static List<String> strings(String json) {
        try {
            return ContractJson.MAPPER.readValue(json, STRINGS);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable JSON array in a TLS-RPT row: " + e.getMessage(), e);
        }
    }

    private static DestinationRow destination(ResultSet rs) throws java.sql.SQLException {
        Timestamp sent = rs.getTimestamp(6);
        return new DestinationRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getTimestamp(5).toInstant(),
                sent == null ? null : sent.toInstant(), rs.getString(7));
    }
}
