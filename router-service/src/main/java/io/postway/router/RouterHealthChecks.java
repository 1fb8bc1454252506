package io.postway.router;

import io.postway.router.infra.PolicyCache;
import io.postway.router.config.RouterConfig;
import io.postway.router.messaging.ChannelAssignments;
import io.postway.router.messaging.PolicyChangeConsumer;
import io.postway.router.messaging.RouterChannels;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.Map;

/**
 * Readiness: the policy cache is filled, knows {@code default} and follows mail.policy-changes, and
 * both input channels are resumed and have joined their group. (The database, the broker connection and the channels'
 * own state have Quarkus' checks; a channel stopped by its failure strategy turns SmallRye Reactive
 * Messaging's liveness check DOWN.)
 */
@ApplicationScoped
public class RouterHealthChecks {

    @Inject
    RouterService service;
    @Inject
    RouterConfig config;
    @Inject
    RouterChannels channels;
    @Inject
    @Identifier(ChannelAssignments.NAME)
    ChannelAssignments assignments;

    @Produces
    @Readiness
    HealthCheck policyCache() {
        return () -> {
            PolicyCache cache = service.policies();
            HealthCheckResponseBuilder b = HealthCheckResponse.named("router policy cache");
            if (cache == null) {
                return b.down().withData("state", "NOT_STARTED").build();
            }
            PolicyCache.State state = cache.state();
            PolicyChangeConsumer feed = service.policyChanges();
            // READY needs the topic followed too: a copy of the policies that no longer changes
            // would route on, ignoring every later fix
            b.status(state == PolicyCache.State.READY && feed.following())
                    .withData("state", state.name())
                    .withData("rules", cache.snapshot().size())
                    .withData("source", cache.lastSource())
                    .withData("topicReadToEnd", feed.caughtUp())
                    .withData("followingTopic", feed.following());
            if (!feed.following()) {
                b.withData("notFollowingReason", feed.notFollowingReason());
            }
            if (cache.lastChange() != null) {
                b.withData("lastChange", cache.lastChange().toString());
            }
            if (cache.lastFallbackError() != null) {
                b.withData("policyServiceError", cache.lastFallbackError());
            }
            return b.build();
        };
    }

    @Produces
    @Readiness
    HealthCheck channelsReady() {
        return () -> {
            HealthCheckResponseBuilder b = HealthCheckResponse.named("router Kafka consumers");
            if (!service.routing()) {
                // still filling the policy cache: the channels wait, paused
                return b.down().withData("state", "WAITING_FOR_POLICIES").build();
            }
            boolean up = true;
            for (Map.Entry<String, String> input : Map.of(RouterChannels.SUBMITTED, config.topics().submitted(),
                    RouterChannels.DEFERRED, config.topics().deferred()).entrySet()) {
                String channel = input.getKey();
                String topic = input.getValue();
                boolean routing = channels.routing(channel);
                boolean joined = assignments.joined(topic);
                up &= routing && joined;
                b.withData(topic, !routing ? "PAUSED" : joined ? "UP" : "NOT_ASSIGNED");
                b.withData(topic + ".partitions", assignments.partitions(topic));
                if (channels.lastError(channel) != null) {
                    b.withData(topic + ".lastError", channels.lastError(channel));
                }
            }
            return b.status(up).build();
        };
    }
}
