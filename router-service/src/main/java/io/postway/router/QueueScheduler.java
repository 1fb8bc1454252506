package io.postway.router;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The clock of the deferred queue: routes due entries every tick, and keeps the queue gauges current.
 * Both periods are {@code RouterConfig.Queue}'s keys (their defaults live there only).
 *
 * <p>Neither task runs before the application has started: the scheduler's triggers start at the
 * very first start-up observer, and a tick in between would use {@code RouterService} before its
 * own start-up observer built the queue and the router (while the outputs were SmallRye emitters,
 * it also logged {@code SRMSG00019 Unable to connect an emitter} as ERROR each tick).
 */
@ApplicationScoped
public class QueueScheduler {

    private static final Logger LOG = Logger.getLogger(QueueScheduler.class);

    @Inject
    RouterService service;
    @Inject
    MeterRegistry meters;

    private MultiGauge entries;
    private MultiGauge recipients;
    private MultiGauge oldestAge;
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong depth = new AtomicLong();

    @Scheduled(every = "${postway.router.queue.scan-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "router-queue-claimer", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void routeDue() {
        if (!service.routing()) {
            return;
        }
        try {
            service.claimer().drain();
        } catch (Exception e) {
            LOG.warnf("queue run failed: %s", e.toString());
        }
    }

    @Scheduled(every = "${postway.router.queue.metrics-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "router-queue-metrics", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void refreshGauges() {
        if (service.queueAdmin() == null) {
            return;
        }
        if (entries == null) {
            entries = MultiGauge.builder("postway.router.queue.entries").description("deferred queue entries per domain").register(meters);
            recipients = MultiGauge.builder("postway.router.queue.recipients").description("recipients waiting per domain").register(meters);
            oldestAge = MultiGauge.builder("postway.router.queue.oldest.age").baseUnit("seconds")
                    .description("age of the oldest waiting message per domain, from its acceptance").register(meters);
            Gauge.builder("postway.router.queue.recipients.total", total, AtomicLong::get).register(meters);
            Gauge.builder("postway.router.queue.depth", depth, AtomicLong::get)
                    .description("deferred queue entries, all domains").register(meters);
        }
        try {
            QueueAdmin.Summary queue = service.queueAdmin().summary();
            List<QueueAdmin.DomainSummary> summary = queue.domains();
            entries.register(summary.stream().map(s -> MultiGauge.Row.of(Tags.of("domain", s.domain()), s.entries())).toList(), true);
            recipients.register(summary.stream().map(s -> MultiGauge.Row.of(Tags.of("domain", s.domain()), s.recipients())).toList(), true);
            oldestAge.register(summary.stream().map(s -> MultiGauge.Row.of(Tags.of("domain", s.domain()),
                    s.oldestAgeSeconds())).toList(), true);
            total.set(queue.recipients());
            depth.set(summary.stream().mapToLong(QueueAdmin.DomainSummary::entries).sum());
        } catch (Exception e) {
            LOG.debugf("queue gauges not refreshed: %s", e.toString());
        }
    }
}
