package io.postway.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} at the real Kafka broker and PostgreSQL server of {@link LocalInfra}.
 *
 * <p>Use as {@code @QuarkusTestResource(value = PostwayInfraResource.class, initArgs =
 * @ResourceArg(name = "database", value = "postway_policy_test"))}. The database is created when
 * missing; the service's own {@code %test} profile decides what it does with it (Flyway).
 */
public class PostwayInfraResource implements QuarkusTestResourceLifecycleManager {

    private String database;

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.get("database");
    }

    @Override
    public Map<String, String> start() {
        LocalInfra infra = LocalInfra.get();
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", infra.kafkaBootstrap);
        config.put("postway.pg.host", infra.pgHost);
        config.put("postway.pg.port", String.valueOf(infra.pgPort));
        if (database != null) {
            infra.ensureDatabase(database);
            config.put("quarkus.datasource.jdbc.url", infra.jdbcUrl(database));
            config.put("quarkus.datasource.username", infra.pgUser);
            config.put("quarkus.datasource.password", infra.pgPassword);
        }
        return config;
    }

    @Override
    public void stop() {
        // the broker and database outlive the test JVM: other modules' tests reuse them
    }
}
