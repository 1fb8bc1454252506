package io.postway.intake.outage;

import io.postway.intake.IntakeTestResource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The shared Kafka broker (as {@link IntakeTestResource}) but a PostgreSQL of this test's own,
 * which {@link DatabaseOutageTest} stops and starts again.
 */
public class OutageDatabaseResource extends IntakeTestResource {

    static final TestPostgres POSTGRES = new TestPostgres(Path.of("target", "outage-pg"));

    @Override
    public Map<String, String> start() {
        POSTGRES.startFresh();
        Map<String, String> config = new HashMap<>(super.start());
        config.put("quarkus.datasource.jdbc.url", POSTGRES.jdbcUrl());
        config.put("quarkus.datasource.username", "postgres");
        config.put("quarkus.datasource.password", "");
        return config;
    }

    @Override
    public void stop() {
        POSTGRES.stop();
    }
}
