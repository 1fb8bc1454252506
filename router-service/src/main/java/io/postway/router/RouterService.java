package io.postway.router;

import io.micrometer.core.instrument.MeterRegistry;
import io.agroal.api.AgroalDataSource;
import io.postway.contract.event.DeliveryEvents;
import io.postway.contract.policy.PolicyRule;
import io.postway.router.config.RouterConfig;
import io.postway.router.infra.DeferredQueueRepository;
import io.postway.router.infra.PolicyCache;
import io.postway.router.infra.PolicyServiceClient;
import io.postway.router.messaging.MessageRouter;
import io.postway.router.messaging.PolicyChangeConsumer;
import io.postway.router.messaging.QueueClaimer;
import io.postway.router.messaging.RecordSink;
import io.postway.router.messaging.RouterChannels;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.Map;

/**
 * router-service: decides, for every recipient domain of an accepted message, the policy that
 * applies, and owns the waiting.
 *
 * <p><b>Reads</b> mail.submitted (group {@code router}): each message becomes one job per
 * recipient domain on <b>writes</b> mail.outbound (key = domain), carrying the effective policy.
 * <b>Reads</b> mail.policy-changes from its beginning at every start into a local policy cache
 * (routing starts once it is read to its end), falling back to policy-service's
 * {@code /internal/v1/published-policies} while {@code default} is unknown. <b>Reads</b>
 * mail.deferred into the deferred queue (PostgreSQL {@code postway_router}) and routes due
 * entries again under the policy in force at that moment.
 *
 * <p><b>Decides</b>: the matching rule and merged policy (exact, longest wildcard, default); when
 * a recipient waits (policy unknown: fail closed, never a weaker policy); when it is tried again
 * (retry intervals, the last repeating) and when it expires (retry.expireAfter from the first
 * acceptance). <b>Writes</b> mail.delivery-events for those decisions: deferred (policy unknown),
 * expired, bounced (invalid domain, deleted by an administrator).
 *
 * <p><b>Delegates</b>: SMTP, MX lookup, TLS and the per-recipient outcome of an attempt to
 * delivery-service; rule storage and validation to policy-service.
 */
@ApplicationScoped
public class RouterService {

    private static final Logger LOG = Logger.getLogger(RouterService.class);

    @Inject
    RouterConfig config;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    MeterRegistry meters;
    /** Every {@code kafka.*} setting (bootstrap, security protocol, SASL, TLS): the base of each plain client. */
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;
    /** The producer of jobs and events ({@code messaging.KafkaRecordSink}). */
    @Inject
    RecordSink sink;
    /** mail.submitted and mail.deferred: SmallRye channels, paused until the policy cache is loaded. */
    @Inject
    RouterChannels channels;

    private PolicyCache policies;
    private PolicyChangeConsumer policyChanges;
    private DeferredQueueRepository queue;
    private MessageRouter router;
    private QueueClaimer claimer;
    private QueueAdmin queueAdmin;
    private volatile boolean routing;
    private Thread starter;

    void onStart(@Observes StartupEvent ev) {
        Clock clock = Clock.systemUTC();
        RouterConfig.Kafka kafka = config.kafka();
        policies = new PolicyCache(config.topics().policyChanges(), new PolicyServiceClient(config.policy().url(), config.adminKey(),
                config.policy().fallbackTimeout()), config.policy().fallbackMinInterval(), clock);
        policyChanges = new PolicyChangeConsumer(policies, kafkaConfig, kafka.maxRecordBytes(),
                config.topics().policyChanges());
        queue = new DeferredQueueRepository(dataSource);
        router = new MessageRouter(sink, new DeliveryEvents("router-service", config.instance()), policies, queue,
                new MessageRouter.Topics(config.topics().outbound(), config.topics().deliveryEvents()),
                config.queue().unknownPolicyRetry(), clock, meters);
        claimer = new QueueClaimer(queue, router, config.queue().claimBatchSize(), clock);
        queueAdmin = new QueueAdmin(queue, router, policies, clock);

        policyChanges.start();
        // Routing waits for the cache; the start itself does not, so health can say why it is not ready.
        starter = new Thread(this::startRoutingWhenPoliciesKnown, "router-starter");
        starter.setDaemon(true);
        starter.start();
    }

    private void startRoutingWhenPoliciesKnown() {
        try {
            if (!policyChanges.awaitCaughtUp(config.policy().initialLoadTimeout())) {
                LOG.warnf("%s not read to its end within %s; asking policy-service", config.topics().policyChanges(),
                        config.policy().initialLoadTimeout());
            }
            if (policies.snapshot().get(PolicyRule.DEFAULT) == null && !policies.askFallback()) {
                LOG.warn("policy unknown at start (no 'default' from the topic or policy-service): "
                        + "mail waits in the deferred queue until it is known");
            }
            policies.markInitialLoadDone();
            channels.startRouting(router);
            routing = true;
            LOG.infof("routing started (%d policy rules known, from %s)", policies.snapshot().size(), policies.lastSource());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void onStop(@Observes ShutdownEvent ev) {
        routing = false;
        if (starter != null) {
            starter.interrupt();
        }
        if (policyChanges != null) {
            policyChanges.stop();
        }
    }

    public boolean routing() {
        return routing;
    }

    public PolicyCache policies() {
        return policies;
    }

    public PolicyChangeConsumer policyChanges() {
        return policyChanges;
    }

    public DeferredQueueRepository queue() {
        return queue;
    }

    public QueueClaimer claimer() {
        return claimer;
    }

    /** The administrators' view of the queue (the admin API and the queue gauges). */
    public QueueAdmin queueAdmin() {
        return queueAdmin;
    }

    /** The {@code default-kafka-broker} properties every plain client of the router starts from. */
    public Map<String, Object> kafkaConfig() {
        return kafkaConfig;
    }

    public RecordSink sink() {
        return sink;
    }
}
