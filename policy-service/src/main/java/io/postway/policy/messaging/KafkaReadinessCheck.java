package io.postway.policy.messaging;

import io.postway.policy.infra.PolicyRepository;
import io.postway.policy.infra.Transactions;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.concurrent.TimeUnit;

/**
 * Ready only while the broker answers: changes are still accepted without it (the outbox keeps
 * them), but the router would not see them, which an operator must know. Reports the outbox
 * backlog too; the database itself is checked by the datasource's own readiness check.
 */
@Readiness
@io.quarkus.runtime.Startup
@ApplicationScoped
public class KafkaReadinessCheck implements HealthCheck {

    @Inject
    PolicyChangePublisher publisher;
    @Inject
    Transactions transactions;

    private Admin admin;

    @Inject
    void registerGauge(MeterRegistry registry) {
        Gauge.builder("postway.policy.outbox.pending", this, KafkaReadinessCheck::pendingOrMinusOne)
                .description("policy changes committed but not yet acknowledged by Kafka")
                .register(registry);
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("kafka");
        try {
            String cluster = admin().describeCluster().clusterId().get(3, TimeUnit.SECONDS);
            b.up().withData("clusterId", cluster);
        } catch (Exception e) {
            b.down().withData("error", e.getClass().getSimpleName());
        }
        try {
            PolicyRepository.OutboxBacklog backlog = transactions.inTransaction(PolicyRepository::outboxBacklog);
            b.withData("outboxPending", backlog.pending()).withData("oldestPendingSeconds", backlog.oldestPendingSeconds());
        } catch (RuntimeException e) {
            b.withData("outboxPending", "unknown");
        }
        return b.withData("topic", publisher.topic()).build();
    }

    private double pendingOrMinusOne() {
        try {
            return transactions.inTransaction(PolicyRepository::outboxBacklog).pending();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(publisher.adminProperties());
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(2));
        }
    }
}
