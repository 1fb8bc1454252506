package io.postway.delivery.sts;

import io.vertx.core.Future;

import java.util.Optional;

/** Where fetched policies outlive the process and are shared by all workers (delivery's PostgreSQL). */
public interface PolicyStore {

    /** No shared store: the memory cache alone (tools and tests that run without a database). */
    PolicyStore NONE = new PolicyStore() {
        @Override
        public Future<Optional<CachedPolicy>> load(String domain) {
            return Future.succeededFuture(Optional.empty());
        }

        @Override
        public Future<Void> save(CachedPolicy policy) {
            return Future.succeededFuture();
        }
    };

    /** The stored policy of a domain (its text re-parsed); a failure when the store cannot be read. */
    Future<Optional<CachedPolicy>> load(String domain);

    Future<Void> save(CachedPolicy policy);
}
