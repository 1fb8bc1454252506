package io.postway.intake.domain;

import io.postway.contract.event.EventType;

import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;

/**
 * Which delivery event is the "latest" for a recipient. Events of one message share a partition,
 * but the intake's own accepted event may still be read after the delivery's first outcome, and
 * a retry may race an expiry: so a final outcome (delivered, bounced, expired) is never replaced,
 * accepted never replaces anything else, and among deferrals the newer one wins.
 */
public final class RecipientStatus {

    private RecipientStatus() {
    }

    /** The event's {@code data.status}, else the status its CloudEvents type reports, else UNKNOWN. */
    public static String statusOf(String type, String dataStatus) {
        if (dataStatus != null && !dataStatus.isBlank()) {
            return dataStatus.toUpperCase(Locale.ROOT);
        }
        return type == null ? "UNKNOWN" : EventType.fromType(type).map(EventType::status).orElse("UNKNOWN");
    }

    /** 2: the recipient's story has ended (the contract's terminal types), 1: deferred, 0: anything else. */
    static int rank(String status) {
        if (Arrays.stream(EventType.values()).anyMatch(t -> t.terminal() && t.status().equals(status))) {
            return 2;
        }
        return EventType.DEFERRED.status().equals(status) ? 1 : 0;
    }

    /** Whether an event with {@code newStatus} at {@code newAt} replaces the current one. */
    public static boolean replaces(String currentStatus, Instant currentAt, String newStatus, Instant newAt) {
        if (currentStatus == null) {
            return true;
        }
        int cur = rank(currentStatus);
        int next = rank(newStatus);
        if (next != cur) {
            return next > cur;
        }
        if (cur == 2) {
            return false;
        }
        return currentAt == null || newAt == null || !newAt.isBefore(currentAt);
    }
}
