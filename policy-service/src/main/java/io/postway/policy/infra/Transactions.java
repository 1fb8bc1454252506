package io.postway.policy.infra;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;

/**
 * THE way to reach the policy tables: one PostgreSQL transaction per call, around work over a
 * {@link PolicyRepository} bound to it. It commits when the work returns and rolls back when it
 * throws, so a rule, its history entry and its outbox row always commit together. Callers see no
 * JDBC: a database failure is an unchecked exception whose cause chain keeps the
 * {@link SQLException} (the web layer recognises an unreachable database there and answers 503).
 */
@ApplicationScoped
public class Transactions {

    @Inject
    DataSource dataSource;

    public <T> T inTransaction(Function<PolicyRepository, T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.apply(new PolicyRepository(c));
                c.commit();
                return result;
            } catch (RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** JDBC work that may throw {@link SQLException}. */
    @FunctionalInterface
    interface Jdbc<T> {
        T run() throws SQLException;
    }

    /** Runs JDBC calls; a refusal leaves as the unchecked failure {@link #inTransaction} rolls back on. */
    static <T> T sql(Jdbc<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    static IllegalStateException failure(SQLException e) {
        return new IllegalStateException("database failure: " + e.getMessage(), e);
    }
}
