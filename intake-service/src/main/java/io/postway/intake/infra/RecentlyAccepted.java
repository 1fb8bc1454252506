package io.postway.intake.infra;

import io.postway.contract.event.DeliveryEvent;
import io.postway.contract.json.ContractJson;
import io.postway.intake.domain.MessageStatus;
import io.postway.intake.domain.ProjectedEvent;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Read-your-writes for {@code GET /v1/messages/{id}} right after a 202: the accepted messages of
 * this instance whose accepted events the status projection has not written yet, each recipient
 * as its accepted event says. A recipient leaves when the projection has committed its row (then
 * PostgreSQL answers); a message leaves after {@link #KEPT} at the latest, and the oldest leave
 * first beyond {@link #MAX_MESSAGES} (a long database outage: the view answers once it caught up).
 * In memory only: a restarted instance, or another instance behind the same address, answers
 * from the projection alone.
 */
@ApplicationScoped
public class RecentlyAccepted {

    /** Far beyond the projection's usual lag (milliseconds), short enough that the map stays small. */
    static final Duration KEPT = Duration.ofMinutes(5);
    /** About 10 s of accepting at full speed; a few MB. */
    static final int MAX_MESSAGES = 20_000;

    private record Entry(String client, Map<String, DeliveryEvent.Data> recipients, long keptUntilNanos) {
    }

    private final Map<String, Entry> messages = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > MAX_MESSAGES || eldest.getValue().keptUntilNanos() - System.nanoTime() < 0;
        }
    };

    /** Remembers a message once the broker acknowledged it, with its accepted events. */
    public void accepted(String messageId, String client, List<DeliveryEvent> acceptedEvents) {
        Map<String, DeliveryEvent.Data> recipients = new LinkedHashMap<>();
        for (DeliveryEvent e : acceptedEvents) {
            recipients.put(e.data().recipient(), e.data());
        }
        Entry entry = new Entry(client, recipients, System.nanoTime() + KEPT.toNanos());
        synchronized (messages) {
            messages.put(messageId, entry);
        }
    }

    /** The recipients of a message not yet projected, when {@code client} submitted it here; accepted, attempt 0. */
    public Optional<List<MessageStatus.Recipient>> find(String messageId, String client) {
        List<DeliveryEvent.Data> data;
        synchronized (messages) {
            Entry e = messages.get(messageId);
            if (e == null || !e.client().equals(client) || e.keptUntilNanos() - System.nanoTime() < 0) {
                return Optional.empty();
            }
            data = new ArrayList<>(e.recipients().values());
        }
        return Optional.of(data.stream()
                .map(d -> new MessageStatus.Recipient(d.recipient(), d.status(), d.attempt(), ContractJson.write(d)))
                .toList());
    }

    /** The projection committed these events: PostgreSQL answers for their recipients from now on. */
    public void projected(Collection<ProjectedEvent> events) {
        synchronized (messages) {
            for (ProjectedEvent p : events) {
                Entry e = messages.get(p.messageId());
                if (e != null) {
                    e.recipients().remove(p.recipient());
                    if (e.recipients().isEmpty()) {
                        messages.remove(p.messageId());
                    }
                }
            }
        }
    }
}
