package io.postway.intake.messaging;

import io.postway.contract.Topics;
import io.postway.intake.domain.ProjectedEvent;
import io.postway.runtime.MessageLog;
import io.postway.intake.infra.RecentlyAccepted;
import io.postway.intake.infra.StatusRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads {@code mail.delivery-events} (consumer group {@code intake-status-projection}) into the
 * status projection (only the fields the view needs, {@link ProjectedEventReader}), one polled batch per PostgreSQL
 * transaction ({@link StatusRepository#applyAll}). The batch's offsets are committed only after
 * that transaction has committed (the method returns). A database that cannot take the batch
 * (down, read-only, full) is retried with a capped back-off for as long as it takes — the batch is
 * held, Kafka pauses the partitions behind it, {@link StatusProjectionHealth} reports DOWN — and
 * the projection catches up by itself once a write succeeds. A record that is no delivery event is
 * skipped; an event PostgreSQL refuses as data (SQLState class 22, e.g. a NUL in a transcript: no
 * retry can help) is skipped alone, with an ERROR naming it, after the rest of its batch is written.
 */
@ApplicationScoped
public class DeliveryEventProjector {

    /** {@code Topics.channel(Topics.DELIVERY_EVENTS)}: an annotation needs a constant (ChannelsTest holds them equal). */
    static final String CHANNEL = "mail-delivery-events";

    static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private static final Logger LOG = Logger.getLogger(DeliveryEventProjector.class);

    @Inject
    StatusRepository repository;

    @Inject
    RecentlyAccepted recentlyAccepted;

    @Inject
    @Readiness
    StatusProjectionHealth health;

    private volatile boolean stopping;

    void stopping(@Observes ShutdownEvent event) {
        stopping = true;
    }

    @Incoming(CHANNEL)
    @Blocking(ordered = true)
    public void project(List<String> values) throws InterruptedException {
        List<ProjectedEvent> events = new ArrayList<>(values.size());
        for (String value : values) {
            read(value).ifPresent(events::add);
        }
        if (!events.isEmpty()) {
            writeDurably(events);
        }
    }

    /** Returns once the events are committed (or refused as data, and logged); never gives up on a database that is away. */
    private void writeDurably(List<ProjectedEvent> events) throws InterruptedException {
        long backoff = FIRST_BACKOFF.toMillis();
        while (true) {
            try {
                repository.applyAll(events);
                health.written();
                recentlyAccepted.projected(events);
                return;
            } catch (SQLException e) {
                if (refusedAsData(e)) {
                    if (events.size() == 1) {
                        ProjectedEvent skipped = events.get(0);
                        try (MessageLog log = MessageLog.of(skipped.messageId())) {
                            LOG.errorf("skipping the delivery event of message %s for %s (%s): PostgreSQL refuses it: %s",
                                    skipped.messageId(), skipped.recipient(), skipped.status(), e.getMessage());
                        }
                        return;
                    }
                    for (ProjectedEvent one : events) {
                        writeDurably(List.of(one));
                    }
                    return;
                }
                if (stopping) {
                    // not committed: the next owner of these partitions reads the batch again
                    throw new IllegalStateException("shutting down before the status view could write " + events.size() + " events", e);
                }
                health.failing(e);
                LOG.warnf("the status view cannot write %d delivery events, retrying in %d ms: %s", events.size(), backoff, e.getMessage());
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
            }
        }
    }

    private static boolean refusedAsData(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("22");
    }

    private static Optional<ProjectedEvent> read(String value) {
        Optional<ProjectedEvent> event = ProjectedEventReader.read(value);
        if (event.isEmpty()) {
            LOG.debugf("skipping a record that is not a delivery event on %s", Topics.DELIVERY_EVENTS);
        }
        return event;
    }
}
