package io.postway.delivery.messaging;

import io.postway.delivery.smtp.DeliveryHarness;
import io.postway.delivery.smtp.Peers;
import io.postway.testkit.LocalInfra;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The real broker (deploy/testkit) with topics private to this test run, so other helpers' jobs
 * never reach this delivery worker and its events never reach them; plus the peers' DNS and CA.
 */
public class DeliveryTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    public static final String OUTBOUND = "mail.outbound.delivery-test-" + RUN;
    public static final String EVENTS = "mail.delivery-events.delivery-test-" + RUN;
    public static final String DEFERRED = "mail.deferred.delivery-test-" + RUN;
    public static final String HANDLED = "mail.outbound-handled.delivery-test-" + RUN;
    public static final String GROUP = "delivery-test-" + RUN;

    @Override
    public Map<String, String> start() {
        String bootstrap = LocalInfra.get().kafkaBootstrap;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(OUTBOUND, 2, (short) 1), new NewTopic(EVENTS, 1, (short) 1),
                    new NewTopic(DEFERRED, 1, (short) 1), new NewTopic(HANDLED, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create test topics on " + bootstrap, e);
        }
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", bootstrap);
        config.put("mp.messaging.incoming.mail-outbound.topic", OUTBOUND);
        config.put("mp.messaging.incoming.mail-outbound.group.id", GROUP);
        config.put("postway.delivery.topics.delivery-events", EVENTS);
        config.put("postway.delivery.topics.deferred", DEFERRED);
        config.put("postway.delivery.handled-jobs.topic", HANDLED);
        config.put("postway.delivery.dns.server", Peers.dns());
        config.put("postway.delivery.tls.trust", Peers.ca().toString());
        config.put("postway.delivery.secret-keys", DeliveryHarness.KEYS);
        config.put("postway.delivery.instance", "test-" + RUN);
        return config;
    }

    @Override
    public void stop() {
        // the broker outlives the test JVM; the private topics are left for inspection
    }
}
