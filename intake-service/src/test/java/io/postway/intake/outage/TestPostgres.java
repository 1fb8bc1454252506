package io.postway.intake.outage;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of one test's own (zonky's binaries, as the local stack's launcher), on a
 * loopback port chosen free once per JVM and kept, so a restart on the same data is the same server
 * to the intake's pool (a fixed port collided with another build's run of this test on the machine).
 */
final class TestPostgres {

    static final int PORT = freePort();
    static final String DATABASE = "postway_intake_outage";

    private final Path dataDir;
    private EmbeddedPostgres server;

    TestPostgres(Path dataDir) {
        this.dataDir = dataDir.toAbsolutePath();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + PORT + "/" + DATABASE;
    }

    /** Starts on an empty data directory and creates the database. */
    synchronized void startFresh() {
        stop();
        try {
            if (Files.exists(dataDir)) {
                try (Stream<Path> files = Files.walk(dataDir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start();
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts on the data directory as it is. */
    synchronized void start() {
        try {
            server = EmbeddedPostgres.builder().setPort(PORT).setDataDirectory(dataDir).setCleanDataDirectory(false)
                    .setServerConfig("listen_addresses", "127.0.0.1").setServerConfig("synchronous_commit", "on")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server (fast shutdown: clients are disconnected at once). */
    synchronized void stop() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server = null;
        }
    }
}
