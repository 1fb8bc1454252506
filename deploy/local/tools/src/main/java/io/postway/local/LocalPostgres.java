package io.postway.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;

/**
 * Runs a real PostgreSQL server from the binaries zonky publishes on Maven Central, for the local
 * stack and the tests, and keeps it running until this process is stopped (SIGTERM stops the
 * server too).
 *
 * <p>Usage: {@code LocalPostgres <port> <data-dir> [database ...]}; creates the named databases
 * when missing, then prints {@code READY <port>}.
 */
public final class LocalPostgres {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path dataDir = Path.of(args[1]).toAbsolutePath();
        Files.createDirectories(dataDir);
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setServerConfig("max_connections", "300")
                // zonky turns this off for speed; Postway promises that accepted mail is not lost
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
            } catch (Exception e) {
                System.err.println("stopping PostgreSQL: " + e);
            }
        }));
        try (Connection c = pg.getPostgresDatabase().getConnection()) {
            EnsureDatabases.ensure(c, List.of(args).subList(2, args.length));
        }
        System.out.println("READY " + port);
        System.out.flush();
        Thread.currentThread().join();
    }
}
