package io.postway.router.domain;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * Deterministic identities, so that routing the same thing twice (a replay after a crash, two
 * replicas racing) yields the same ids and delivery can recognise the duplicate. (Event ids are the
 * contract's: {@code io.postway.contract.event.DeliveryEvents#eventId}.)
 */
public final class JobIds {

    private JobIds() {
    }

    /**
     * One job per (message, domain, attempt, recipients). The recipients are part of it because
     * delivery may defer one domain's recipients in several groups (one per diagnosis), each of
     * which is routed again as its own job of the same attempt.
     */
    public static UUID jobId(String messageId, String domain, int attempt, List<String> recipients) {
        return uuid("job", messageId, domain, Integer.toString(attempt), String.join(",", recipients.stream().sorted().toList()));
    }

    /** One queue entry per deferred record: replaying {@code mail.deferred} does not queue twice. */
    public static UUID entryId(String messageId, String domain, int attempt, List<String> recipients) {
        return uuid("entry", messageId, domain, Integer.toString(attempt), String.join(",", recipients.stream().sorted().toList()));
    }

    private static UUID uuid(String... parts) {
        return UUID.nameUUIDFromBytes(String.join("\u0000", parts).getBytes(StandardCharsets.UTF_8));
    }
}
