package io.postway.delivery.probe;

import io.postway.delivery.messaging.DeliveryTestResource;
import io.postway.testkit.LocalInfra;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Probe topics private to this test run, beside {@link DeliveryTestResource}'s mail topics (Quarkus
 * applies every test resource to every @QuarkusTest, so no delivery test reads the shared
 * {@code mail.probe-requests}).
 */
public class ProbeTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String REQUESTS = "mail.probe-requests.delivery-test-" + DeliveryTestResource.RUN;
    public static final String RESULTS = "mail.probe-results.delivery-test-" + DeliveryTestResource.RUN;

    @Override
    public Map<String, String> start() {
        String bootstrap = LocalInfra.get().kafkaBootstrap;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(REQUESTS, 1, (short) 1), new NewTopic(RESULTS, 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create probe test topics on " + bootstrap, e);
        }
        return Map.of("mp.messaging.incoming.mail-probe-requests.topic", REQUESTS,
                "mp.messaging.incoming.mail-probe-requests.group.id", DeliveryTestResource.GROUP + "-probe",
                "mp.messaging.outgoing.mail-probe-results.topic", RESULTS);
    }

    @Override
    public void stop() {
        // the broker outlives the test JVM; the private topics are left for inspection
    }
}
