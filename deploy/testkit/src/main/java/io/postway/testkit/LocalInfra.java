package io.postway.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Where the real Kafka broker and PostgreSQL server for tests are.
 *
 * <p>Reads {@code POSTWAY_KAFKA_BOOTSTRAP} and {@code POSTWAY_PG_HOST}/{@code POSTWAY_PG_PORT}/
 * {@code POSTWAY_PG_USER}/{@code POSTWAY_PG_PASSWORD} when they are set (CI, or a stack started by
 * hand); otherwise it runs {@code deploy/local/stack infra-up}, which starts (or reuses) the local
 * broker and database and writes their addresses to {@code deploy/local/.run/infra.env}.
 */
public final class LocalInfra {

    private static LocalInfra instance;

    public final String kafkaBootstrap;
    public final String pgHost;
    public final int pgPort;
    public final String pgUser;
    public final String pgPassword;

    private LocalInfra(Map<String, String> env) {
        this.kafkaBootstrap = env.getOrDefault("POSTWAY_KAFKA_BOOTSTRAP", "127.0.0.1:9092");
        this.pgHost = env.getOrDefault("POSTWAY_PG_HOST", "127.0.0.1");
        this.pgPort = Integer.parseInt(env.getOrDefault("POSTWAY_PG_PORT", "55432"));
        this.pgUser = env.getOrDefault("POSTWAY_PG_USER", "postgres");
        this.pgPassword = env.getOrDefault("POSTWAY_PG_PASSWORD", "");
    }

    /** The running infrastructure, started on first use when no addresses were given. */
    public static synchronized LocalInfra get() {
        if (instance == null) {
            Map<String, String> env = System.getenv();
            if (env.containsKey("POSTWAY_KAFKA_BOOTSTRAP") && env.containsKey("POSTWAY_PG_PORT")) {
                instance = new LocalInfra(env);
            } else {
                instance = new LocalInfra(startLocalInfra());
            }
        }
        return instance;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + pgHost + ":" + pgPort + "/" + database;
    }

    /** Creates the database when it does not exist yet; tests use their own databases. */
    public void ensureDatabase(String database) {
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain database name: " + database);
        }
        Properties props = new Properties();
        props.setProperty("user", pgUser);
        props.setProperty("password", pgPassword);
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), props)) {
            var rs = c.createStatement().executeQuery(
                    "SELECT 1 FROM pg_database WHERE datname = '" + database + "'");
            if (!rs.next()) {
                c.createStatement().execute("CREATE DATABASE " + database);
            }
        } catch (SQLException e) {
            if (!"42P04".equals(e.getSQLState())) { // created meanwhile by a parallel test JVM
                throw new IllegalStateException("cannot create database " + database + " on " + pgHost + ":" + pgPort, e);
            }
        }
    }

    private static Map<String, String> startLocalInfra() {
        Path root = repositoryRoot();
        Path stack = root.resolve("deploy/local/stack");
        try {
            Process p = new ProcessBuilder("bash", stack.toString(), "infra-up")
                    .directory(root.toFile()).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("deploy/local/stack infra-up failed (exit " + p.exitValue() + ")");
            }
            return readEnvFile(root.resolve("deploy/local/.run/infra.env"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + stack, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> readEnvFile(Path file) throws IOException {
        return parseAssignments(Files.readAllLines(file));
    }

    /** Shell assignments ({@code [export ]KEY=value}, optionally quoted), as scripts print them. */
    public static Map<String, String> parseAssignments(List<String> lines) {
        Map<String, String> values = new java.util.HashMap<>();
        for (String line : lines) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("#")) {
                String key = line.substring(0, eq).replaceFirst("^export\\s+", "").trim();
                values.put(key, line.substring(eq + 1).replaceAll("^[\"']|[\"']$", ""));
            }
        }
        return values;
    }

    /** The checkout's top folder: the first parent of the working directory holding deploy/local/stack. */
    public static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("deploy/local/stack"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("deploy/local/stack not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
