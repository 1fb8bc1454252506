package io.postway.delivery.probe;

import io.postway.delivery.messaging.DeliveryTestResource;
import io.postway.testkit.LocalInfra;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Delivery's test resource (private mail topics, the peers' DNS and CA) plus probe topics private to this run. */
public class ProbeTestResource extends DeliveryTestResource {

    public static final String REQUESTS = "mail.probe-requests.delivery-test-" + RUN;
    public static final String RESULTS = "mail.probe-results.delivery-test-" + RUN;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        String bootstrap = LocalInfra.get().kafkaBootstrap;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(REQUESTS, 1, (short) 1), new NewTopic(RESULTS, 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create probe test topics on " + bootstrap, e);
        }
        config.put("mp.messaging.incoming.mail-probe-requests.topic", REQUESTS);
        config.put("mp.messaging.incoming.mail-probe-requests.group.id", GROUP + "-probe");
        config.put("mp.messaging.outgoing.mail-probe-results.topic", RESULTS);
        return config;
    }
}
