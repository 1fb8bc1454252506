package io.postway.local;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Creates Postway's databases on a PostgreSQL server when they are missing.
 *
 * <p>Usage: {@code EnsureDatabases <host> <port> <user> <password> <database> ...}.
 */
public final class EnsureDatabases {

    public static void main(String[] args) throws SQLException {
        String url = "jdbc:postgresql://" + args[0] + ":" + args[1] + "/postgres";
        try (Connection c = DriverManager.getConnection(url, args[2], args[3])) {
            ensure(c, List.of(args).subList(4, args.length));
        }
    }

    static void ensure(Connection c, List<String> databases) throws SQLException {
        for (String db : databases) {
            if (!db.matches("[a-z_][a-z0-9_]*")) {
                throw new IllegalArgumentException("not a plain database name: " + db);
            }
            try (ResultSet rs = c.createStatement().executeQuery(
                    "SELECT 1 FROM pg_database WHERE datname = '" + db + "'")) {
                if (!rs.next()) {
                    c.createStatement().execute("CREATE DATABASE " + db);
                }
            }
        }
    }
}
