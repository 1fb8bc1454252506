package io.postway.policy.infra;

import io.postway.contract.json.ContractJson;
import io.postway.contract.review.OverrideFixedEvent;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.postway.policy.infra.Transactions.sql;

/** JDBC access to the outbox of {@code mail.policy-reviews}, within the transaction of {@link Transactions}. */
public class ReviewEventRepository {

    private final Connection c;

    ReviewEventRepository(Connection c) {
        this.c = c;
    }

    /** A queued event: the record key (the rule) and value (the CloudEvent's JSON). */
    public record PendingEvent(long id, String rule, String payload) {
    }

    /** Queues the event; false when an event with its id was queued before (the same finding). */
    public boolean enqueue(OverrideFixedEvent event) {
        return sql(() -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO policy_review_outbox (event_id, rule, payload) VALUES (?, ?, ?) ON CONFLICT (event_id) DO NOTHING")) {
                ps.setObject(1, UUID.fromString(event.id()));
                ps.setString(2, event.data().rule());
                ps.setString(3, ContractJson.write(event));
                return ps.executeUpdate() == 1;
            }
        });
    }

    public List<PendingEvent> pending(int limit) {
        return sql(() -> {
            List<PendingEvent> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, rule, payload FROM policy_review_outbox WHERE sent_at IS NULL ORDER BY id LIMIT ?")) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new PendingEvent(rs.getLong(1), rs.getString(2), rs.getString(3)));
                    }
                }
            }
            return rows;
        });
    }

    public void markSent(List<Long> ids) {
        sql(() -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE policy_review_outbox SET sent_at = now() WHERE id = ANY (?)")) {
                ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
                return ps.executeUpdate();
            }
        });
    }

    /** One relay at a time across instances, so the topic gets the events in queue order; released at commit. */
    public boolean tryRelayLock() {
        return sql(() -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_xact_lock(hashtext('postway.policy.review-outbox'))");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        });
    }
}
