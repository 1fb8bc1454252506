package io.postway.delivery.sts;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Policies in delivery's PostgreSQL (table {@code mta_sts_policy}, migration V1), read and written on
 * worker threads. The schema is migrated lazily ({@code migrate}, Flyway), so a database that is down
 * at start stops nothing: the caller logs, serves from memory and fetches; the next use tries again.
 */
public final class JdbcPolicyStore implements PolicyStore {

    private static final Logger LOG = Logger.getLogger(JdbcPolicyStore.class);

    private final Vertx vertx;
    private final DataSource dataSource;
    private final Runnable migrate;
    private volatile boolean migrated;

    public JdbcPolicyStore(Vertx vertx, DataSource dataSource, Runnable migrate) {
        this.vertx = vertx;
        this.dataSource = dataSource;
        this.migrate = migrate;
    }

    @Override
    public Future<Optional<CachedPolicy>> load(String domain) {
        return blocking(() -> {
            try (Connection c = dataSource.getConnection();
                 PreparedStatement s = c.prepareStatement(
                         "SELECT policy_id, policy, fetched_at, expires_at FROM mta_sts_policy WHERE domain = ?")) {
                s.setString(1, domain);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    StsPolicy policy;
                    try {
                        policy = StsPolicy.parse(rs.getString(2));
                    } catch (StsPolicy.Invalid e) {
                        // only valid policies are stored; a row that no longer parses is as good as none
                        return Optional.empty();
                    }
                    return Optional.of(new CachedPolicy(domain, rs.getString(1), policy,
                            rs.getTimestamp(3).toInstant(), rs.getTimestamp(4).toInstant()));
                }
            }
        });
    }

    @Override
    public Future<Void> save(CachedPolicy p) {
        return blocking(() -> {
            try (Connection c = dataSource.getConnection();
                 PreparedStatement s = c.prepareStatement("""
                         INSERT INTO mta_sts_policy (domain, policy_id, policy, fetched_at, expires_at) VALUES (?, ?, ?, ?, ?)
                         ON CONFLICT (domain) DO UPDATE SET policy_id = EXCLUDED.policy_id, policy = EXCLUDED.policy,
                             fetched_at = EXCLUDED.fetched_at, expires_at = EXCLUDED.expires_at
                         WHERE mta_sts_policy.fetched_at <= EXCLUDED.fetched_at""")) {
                s.setString(1, p.domain());
                s.setString(2, p.id());
                s.setString(3, p.policy().text());
                s.setTimestamp(4, Timestamp.from(p.fetchedAt()));
                s.setTimestamp(5, Timestamp.from(p.expiresAt()));
                s.executeUpdate();
                return null;
            }
        });
    }

    private <T> Future<T> blocking(Callable<T> work) {
        return vertx.executeBlocking(() -> {
            if (!migrated) {
                migrate.run();
                migrated = true;
                LOG.info("MTA-STS policy cache: schema migrated, PostgreSQL in use");
            }
            try {
                return work.call();
            } catch (SQLException e) {
                throw new IllegalStateException("MTA-STS policy cache in PostgreSQL: " + e.getMessage(), e);
            }
        }, false);
    }
}
