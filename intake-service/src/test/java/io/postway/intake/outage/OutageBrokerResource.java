package io.postway.intake.outage;

import io.postway.intake.IntakeTestResource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The shared PostgreSQL (as {@link IntakeTestResource}) but a Kafka broker of this test's own,
 * which {@link BrokerOutageTest} stops and starts again.
 */
public class OutageBrokerResource extends IntakeTestResource {

    static final TestKafkaBroker BROKER = new TestKafkaBroker(Path.of("target", "outage-kafka"));

    @Override
    public Map<String, String> start() {
        BROKER.startFresh(List.of("mail.submitted", "mail.delivery-events"));
        Map<String, String> config = new HashMap<>(super.start());
        config.put("kafka.bootstrap.servers", TestKafkaBroker.BOOTSTRAP);
        return config;
    }

    @Override
    public void stop() {
        BROKER.kill();
    }
}
