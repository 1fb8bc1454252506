package io.postway.delivery.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the job outputs' producer ({@link KafkaOutputs}): what SmallRye's check reported for
 * each outgoing channel before they became one plain producer, the same test (the producer's
 * {@code connection-count} metric, at least one connection to the broker; UP while the metric is not
 * there yet). A producer whose sends fail also fails the jobs, whose channel then stops and turns
 * SmallRye's liveness check DOWN, as before.
 */
@Readiness
@ApplicationScoped
public class KafkaOutputsReadiness implements HealthCheck {

    @Inject
    KafkaOutputs outputs;

    @Override
    public HealthCheckResponse call() {
        double connections = outputs.brokerConnections();
        return HealthCheckResponse.named("delivery Kafka producer")
                .status(Double.isNaN(connections) || connections >= 1)
                .withData("connections", Double.isNaN(connections) ? "unknown" : String.valueOf((long) connections))
                .build();
    }
}
