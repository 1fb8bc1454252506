package io.postway.delivery.sts;

import java.time.Instant;

/** A fetched policy as cached: keyed by domain, valid until {@code expiresAt} (fetch time + max_age). */
record CachedPolicy(String domain, String id, StsPolicy policy, Instant fetchedAt, Instant expiresAt) {

    boolean validAt(Instant now) {
        return now.isBefore(expiresAt);
    }
}
