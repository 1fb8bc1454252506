package io.postway.intake.domain;

import java.time.Instant;
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

    public static String statusOf(String type, String dataStatus) {
        if (dataStatus != null && !dataStatus.isBlank()) {
            return dataStatus.toUpperCase(Locale.ROOT);
        }
        if (type == null) {
            return "UNKNOWN";
        }
        return switch (type) {
            case "postway.message.accepted" -> "ACCEPTED";
            case "postway.delivery.delivered" -> "DELIVERED";
            case "postway.delivery.deferred" -> "DEFERRED";
            case "postway.delivery.bounced" -> "BOUNCED";
            case "postway.delivery.expired" -> "EXPIRED";
            default -> "UNKNOWN";
        };
    }

    static int rank(String status) {
        return switch (status) {
            case "DELIVERED", "BOUNCED", "EXPIRED" -> 2;
            case "DEFERRED" -> 1;
            default -> 0;
        };
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
