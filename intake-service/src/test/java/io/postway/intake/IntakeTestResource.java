package io.postway.intake;

import io.postway.testkit.PostwayInfraResource;

import java.util.Map;
import java.util.UUID;

/**
 * The real broker and database, plus a consumer group of this run's own for the status
 * projection (other test JVMs and the local stack read the same topic) that starts at the end of
 * the topic: a test sees only the events it publishes itself.
 */
public class IntakeTestResource extends PostwayInfraResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new java.util.HashMap<>(super.start());
        config.put("mp.messaging.incoming.mail-delivery-events.group.id", "intake-status-projection-test-" + UUID.randomUUID());
        config.put("mp.messaging.incoming.mail-delivery-events.auto.offset.reset", "latest");
        return config;
    }
}
