package io.postway.delivery.sts;

import io.postway.contract.event.DeliveryEvent.MtaStsStatus;
import io.postway.delivery.dns.DnsResolver;
import io.postway.delivery.domain.ErrorChain;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.jboss.logging.Logger;

import javax.net.ssl.X509TrustManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * MTA-STS discovery (RFC 8461 3, 5): the {@code _mta-sts} TXT record's id, then the cached policy
 * (memory, then the shared store) when it has that id and has not expired, else a fetch. A failed
 * or invalid refetch keeps the unexpired cached policy (5.1). The store failing (PostgreSQL down)
 * is logged and delivery goes on with memory and fetches.
 */
public final class MtaStsPolicies {

    private static final Logger LOG = Logger.getLogger(MtaStsPolicies.class);

    private final DnsResolver dns;
    private final PolicyFetcher fetcher;
    private final PolicyStore store;
    private final Clock clock;
    private final Map<String, CachedPolicy> memory = new ConcurrentHashMap<>();
    /** Domains the store has answered for (with a policy or none): their later look-ups never ask it again. */
    private final Set<String> storeAnswered = ConcurrentHashMap.newKeySet();
    /** After a failed read, the store is left alone this long (PostgreSQL down: memory and fetches only). */
    private static final Duration STORE_PAUSE = Duration.ofSeconds(30);
    private volatile long storeDownUntil;
    /** One fetch per domain at a time: the jobs of a domain that arrive meanwhile wait for it. */
    private final Map<String, Future<StsLookup>> inFlight = new ConcurrentHashMap<>();

    public MtaStsPolicies(Vertx vertx, DnsResolver dns, X509TrustManager webPki, Duration fetchTimeout, int httpsPort,
                          PolicyStore store, Clock clock) {
        this.dns = dns;
        this.fetcher = new PolicyFetcher(vertx, dns, webPki, fetchTimeout, httpsPort);
        this.store = store;
        this.clock = clock;
    }

    /** Memory only, port 443, 10 s fetches: what a worker without a database (tools, tests) uses. */
    public static MtaStsPolicies inMemory(Vertx vertx, DnsResolver dns, X509TrustManager webPki) {
        return new MtaStsPolicies(vertx, dns, webPki, Duration.ofSeconds(10), 443, PolicyStore.NONE, Clock.systemUTC());
    }

    public Future<StsLookup> lookup(String domain) {
        return dns.txt("_mta-sts." + domain).transform(txt -> {
            Optional<String> id = txt.succeeded() ? StsRecord.id(txt.result()) : Optional.empty();
            return cached(domain).compose(cached -> {
                Instant now = clock.instant();
                CachedPolicy valid = cached != null && cached.validAt(now) ? cached : null;
                if (txt.failed()) {
                    return Future.succeededFuture(valid != null
                            ? StsLookup.of(valid, "the _mta-sts TXT look-up failed; the cached policy (until " + valid.expiresAt() + ") applies")
                            : StsLookup.without(MtaStsStatus.FETCH_ERROR, StsFailures.FETCH_ERROR,
                            "the _mta-sts." + domain + " TXT look-up failed: " + ErrorChain.describe(txt.cause())));
                }
                if (id.isEmpty()) {
                    // RFC 8461 10.2: a domain leaves MTA-STS by publishing mode none; an unexpired policy stays in force
                    return Future.succeededFuture(valid != null
                            ? StsLookup.of(valid, "no _mta-sts TXT record now; the cached policy (until " + valid.expiresAt() + ") applies")
                            : StsLookup.without(MtaStsStatus.NOT_PUBLISHED, null, domain + " publishes no _mta-sts TXT record"));
                }
                if (valid != null && valid.id().equals(id.get())) {
                    return Future.succeededFuture(StsLookup.of(valid, "policy id " + valid.id() + " cached until " + valid.expiresAt()));
                }
                return inFlight.computeIfAbsent(domain, d -> fetch(d, id.get(), valid)
                        .onComplete(done -> inFlight.remove(d)));
            });
        });
    }

    private Future<StsLookup> fetch(String domain, String id, CachedPolicy valid) {
        return fetcher.fetch(domain).transform(fetched -> {
            Instant now = clock.instant();
            if (fetched.failed()) {
                PolicyFetcher.FetchFailed f = fetched.cause() instanceof PolicyFetcher.FetchFailed ff ? ff
                        : new PolicyFetcher.FetchFailed(StsFailures.FETCH_ERROR, ErrorChain.describe(fetched.cause()));
                return Future.succeededFuture(valid != null
                        ? StsLookup.of(valid, "refetching policy id " + id + " failed (" + f.getMessage() + "); the cached policy id "
                        + valid.id() + " (until " + valid.expiresAt() + ") applies")
                        : StsLookup.without(MtaStsStatus.FETCH_ERROR, f.failureType, f.getMessage()));
            }
            StsPolicy policy;
            try {
                policy = StsPolicy.parse(fetched.result());
            } catch (StsPolicy.Invalid e) {
                return Future.succeededFuture(valid != null
                        ? StsLookup.of(valid, "the policy fetched for id " + id + " is invalid (" + e.getMessage() + "); the cached policy id "
                        + valid.id() + " applies")
                        : StsLookup.without(MtaStsStatus.INVALID, StsFailures.INVALID,
                        "the policy at https://mta-sts." + domain + PolicyFetcher.PATH + " is invalid: " + e.getMessage()));
            }
            CachedPolicy fresh = new CachedPolicy(domain, id, policy, now, now.plusSeconds(policy.maxAgeSeconds()));
            memory.put(domain, fresh);
            store.save(fresh).onFailure(t -> LOG.warnf("MTA-STS policy of %s not stored (kept in memory): %s", domain, ErrorChain.describe(t)));
            return Future.succeededFuture(StsLookup.of(fresh, "policy id " + id + " fetched, valid until " + fresh.expiresAt()));
        });
    }

    /** Memory first; the store only on a miss (the hot path never waits on the database). */
    private Future<CachedPolicy> cached(String domain) {
        CachedPolicy inMemory = memory.get(domain);
        if (inMemory != null || storeAnswered.contains(domain) || clock.millis() < storeDownUntil) {
            return Future.succeededFuture(inMemory);
        }
        return store.load(domain).map(found -> {
            found.ifPresent(p -> memory.putIfAbsent(domain, p));
            storeAnswered.add(domain);
            return found.orElse(null);
        }).recover(t -> {
            // not asked again for a while: one WARN per pause, not one per job
            storeDownUntil = clock.millis() + STORE_PAUSE.toMillis();
            LOG.warnf("MTA-STS policy cache in PostgreSQL unavailable, using memory and fetches (next try in %d s): %s",
                    STORE_PAUSE.toSeconds(), ErrorChain.describe(t));
            return Future.succeededFuture(null);
        });
    }

    public void close() {
        fetcher.close();
    }
}
