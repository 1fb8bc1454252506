package io.postway.delivery;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.postway.delivery.smtp.SessionObserver;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The latency histograms of delivery (Prometheus buckets: {@code publishPercentileHistogram}), named
 * in the README's delivery section:
 * <ul>
 *   <li>{@code postway.delivery.smtp.session} (tag {@code result} = sent | failed): one send on a
 *       pooled session, from handing the message to the mail client until its last reply (connect,
 *       greeting, EHLO, STARTTLS and AUTH included when the session is new);</li>
 *   <li>{@code postway.delivery.end.to.end}: from the job's {@code submittedAt} (intake's 202) until
 *       Kafka acknowledged the recipient's delivered event.</li>
 * </ul>
 * The outbound channel's consumer lag comes from the Kafka client's own metrics, bound by Quarkus
 * ({@code kafka_consumer_fetch_manager_records_lag*}, tagged with topic and partition).
 */
@ApplicationScoped
public class DeliveryMetrics implements SessionObserver {

    private final Timer sent;
    private final Timer failed;

    DeliveryMetrics(MeterRegistry registry) {
        this.sent = session(registry, "sent");
        this.failed = session(registry, "failed");
    }

    /** The end-to-end timer (the registry hands back the same one to every caller). */
    public static Timer endToEnd(MeterRegistry registry) {
        return Timer.builder("postway.delivery.end.to.end")
                .description("submittedAt of the message until its delivered event was acknowledged by Kafka")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofDays(5)) // retries run for days
                .register(registry);
    }

    /** Records a recipient whose delivered event Kafka acknowledged at {@code at}. */
    public static void delivered(Timer endToEnd, Instant submittedAt, Instant at) {
        if (endToEnd != null && submittedAt != null) {
            endToEnd.record(Duration.between(submittedAt, at).toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private static Timer session(MeterRegistry registry, String result) {
        return Timer.builder("postway.delivery.smtp.session")
                .description("one send on a pooled SMTP session, until the server's last reply")
                .tag("result", result)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(30))
                .register(registry);
    }

    @Override
    public void sendEnded(long nanos, boolean succeeded) {
        (succeeded ? sent : failed).record(nanos, TimeUnit.NANOSECONDS);
    }
}
