package io.postway.web;

import jakarta.enterprise.context.ApplicationScoped;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;

/**
 * PostgreSQL cannot be reached: a connection-class failure (SQLState class 08, a connection
 * exception type, or a pool failure that no server answered: no SQLState) anywhere in the cause
 * chain. A refused statement (constraint, syntax) is a plain 500: the database is up.
 */
@ApplicationScoped
public class DatabaseUnreachable implements DependencyFailures {

    @Override
    public Optional<ServiceUnavailable> unavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && isConnectionFailure(sql)) {
                return Optional.of(new ServiceUnavailable("The database cannot be reached; nothing was changed. Retry later."));
            }
        }
        return Optional.empty();
    }

    static boolean isConnectionFailure(SQLException e) {
        return e instanceof SQLTransientConnectionException || e instanceof SQLNonTransientConnectionException
                || e instanceof SQLRecoverableException || e.getSQLState() == null || e.getSQLState().startsWith("08");
    }
}
