package io.postway.router.it;

import io.postway.router.messaging.RouterChannels;
import io.postway.testkit.LocalInfra;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Gives the router under test private input topics on the real broker (so it routes only this
 * run's mail, and other engineers' tests never see their mail routed by a test router), its own
 * consumer group, and a policy-service stand-in for the REST fallback. Output topics
 * (mail.outbound, mail.delivery-events) are the real shared ones; tests filter by their ids.
 */
public class RouterTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    public static final String SUBMITTED = "router-test." + RUN + ".submitted";
    public static final String DEFERRED = "router-test." + RUN + ".deferred";
    public static final String POLICY_CHANGES = "router-test." + RUN + ".policy-changes";
    /** The router's consumer group in the tests. */
    public static final String GROUP = "router-test-" + RUN;

    @Override
    public Map<String, String> start() {
        LocalInfra infra = LocalInfra.get();
        createTopics(infra.kafkaBootstrap, List.of(
                new NewTopic(SUBMITTED, 3, (short) 1),
                new NewTopic(DEFERRED, 2, (short) 1),
                new NewTopic(POLICY_CHANGES, 1, (short) 1).configs(Map.of("cleanup.policy", "compact"))));
        // start-up finds an empty policy topic: default comes from the REST fallback
        PolicyServiceStub.status = 200;
        PolicyServiceStub.body = "[" + TestPolicies.defaultRule(99, "OPPORTUNISTIC") + "]";
        String url;
        try {
            url = PolicyServiceStub.start();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of(
                "postway.router.topics.submitted", SUBMITTED,
                "postway.router.topics.deferred", DEFERRED,
                "postway.router.topics.policy-changes", POLICY_CHANGES,
                "mp.messaging.incoming." + RouterChannels.SUBMITTED + ".group.id", GROUP,
                "mp.messaging.incoming." + RouterChannels.DEFERRED + ".group.id", GROUP,
                "postway.router.policy.url", url);
    }

    static void createTopics(String bootstrap, List<NewTopic> topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create test topics " + topics, e);
        }
    }

    @Override
    public void stop() {
        PolicyServiceStub.stop();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, LocalInfra.get().kafkaBootstrap))) {
            admin.deleteTopics(List.of(SUBMITTED, DEFERRED, POLICY_CHANGES)).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // leftovers are harmless: names are unique per run
        }
    }
}
