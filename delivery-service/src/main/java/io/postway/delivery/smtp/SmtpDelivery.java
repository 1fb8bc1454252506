package io.postway.delivery.smtp;

import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.secret.SecretCipher;
import io.postway.delivery.dane.DaneLookup;
import io.postway.delivery.dns.Destinations.Destination;
import io.postway.delivery.dns.Destinations;
import io.postway.delivery.dns.DnsResolver;
import io.postway.delivery.domain.DeliveryJob;
import io.postway.delivery.domain.RecipientResult;
import io.postway.delivery.domain.RemoteEndpoint;
import io.postway.delivery.domain.SessionFailure.Kind;
import io.postway.delivery.domain.SessionFailure;
import io.postway.delivery.domain.Stage;
import io.postway.delivery.mailclient.EventLoops;
import io.postway.delivery.mailclient.OutgoingMessage;
import io.postway.delivery.sts.MtaStsPolicies;
import io.postway.delivery.sts.StsDemands;
import io.postway.delivery.tls.PeerCertificateCheck;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Delivers one job: the destinations in order (smart host, MX hosts, implicit MX; {@link
 * Destinations}), a pooled session to each address in turn under the job's policy, and what the
 * failure policy ({@link SmtpTrouble}) says after each: done, the next address, a reconnect or a
 * plaintext fallback. Never blocks: everything is composed on Vert.x futures, on an event loop.
 */
public final class SmtpDelivery {

    public record Settings(String heloName, Timeouts timeouts, Duration poolWait, Duration idleTimeout) {
    }

    private final Vertx vertx;
    private final Destinations destinations;
    private final SecretCipher passwords;
    private final Settings settings;
    private final PeerCertificateCheck check;
    private final Map<String, SmtpPool> pools = new ConcurrentHashMap<>();
    private final long reaper;
    private final EventLoops loops;
    private final SessionObserver observer;
    private final DaneLookup dane;
    private final MtaStsPolicies mtaSts;

    public SmtpDelivery(Vertx vertx, DnsResolver dns, SecretCipher passwords, PeerCertificateCheck check, Settings settings) {
        this(vertx, dns, passwords, check, settings, SessionObserver.NONE);
    }

    /** MTA-STS policies cached in memory only (tools and tests without delivery's database). */
    public SmtpDelivery(Vertx vertx, DnsResolver dns, SecretCipher passwords, PeerCertificateCheck check, Settings settings,
                        SessionObserver observer) {
        this(vertx, dns, passwords, check, settings, observer, DaneLookup.NONE, MtaStsPolicies.inMemory(vertx, dns, check.webPkiTrustManager()));
    }

    /**
     * @param dane   the TLSA look-ups of MX hosts (DANE, RFC 7672); {@link DaneLookup#NONE} for none
     * @param mtaSts the domain's MTA-STS policies (RFC 8461)
     */
    public SmtpDelivery(Vertx vertx, DnsResolver dns, SecretCipher passwords, PeerCertificateCheck check, Settings settings,
                        SessionObserver observer, DaneLookup dane, MtaStsPolicies mtaSts) {
        this.vertx = vertx;
        this.dane = dane;
        this.mtaSts = mtaSts;
        this.observer = observer;
        this.destinations = new Destinations(dns);
        this.passwords = passwords;
        this.settings = settings;
        this.check = check;
        this.loops = new EventLoops(vertx);
        long period = Math.max(1000, Math.min(settings.idleTimeout().toMillis() / 2, 10_000));
        // computeIfPresent: a pool is retired and removed in one step for its key, so poolFor either
        // gets it before (and acquire then sees it retired and looks again) or a new one after
        this.reaper = vertx.setPeriodic(period, id -> pools.keySet().forEach(key ->
                pools.computeIfPresent(key, (k, pool) -> pool.retireIfIdle(settings.idleTimeout()) ? null : pool)));
    }

    public void close() {
        vertx.cancelTimer(reaper);
        dane.close();
        pools.values().forEach(SmtpPool::closeAll);
        pools.clear();
        mtaSts.close();
    }

    public int openConnections() {
        return pools.values().stream().mapToInt(SmtpPool::openCount).sum();
    }

    /** One result per recipient. Runs on an event loop whatever thread calls ({@link EventLoops}). */
    public Future<List<RecipientResult>> deliver(DeliveryJob job) {
        return loops.run(() -> start(job));
    }

    private Future<List<RecipientResult>> start(DeliveryJob job) {
        return StsDemands.discover(mtaSts, job.domain(), job.policy())
                .compose(sts -> underSts(job, sts).map(results -> results.stream().map(sts::report).toList()));
    }

    /** The job under the rule as the domain's MTA-STS policy strengthens it (sts.StsDemands decides how). */
    private Future<List<RecipientResult>> underSts(DeliveryJob job, StsDemands sts) {
        SessionSettings session;
        try {
            session = SessionSettings.of(job.policy(), sts.tls(job.policy().tls()), passwords, settings.heloName());
        } catch (IllegalArgumentException e) {
            return whole(job, SessionFailure.of(Kind.POLICY_UNUSABLE, Stage.CONNECT, job.domain(), e.getMessage()));
        }
        OutgoingMessage message;
        try {
            message = OutgoingMessage.of(job.from(), job.recipients(), job.content());
        } catch (IllegalArgumentException e) {
            return whole(job, SessionFailure.of(Kind.MESSAGE_NOT_7BIT, Stage.DATA, job.domain(), e.getMessage()));
        }
        JobState start = JobState.start(job, message, session);
        return destinations.plan(job.domain(), job.policy().route()).compose(plan -> {
            if (plan.unroutable() != null) {
                return whole(job, plan.unroutable());
            }
            List<Destination> allowed = plan.hosts().stream().filter(d -> sts.allows(d.host())).toList();
            if (allowed.isEmpty()) {
                SessionFailure none = sts.noMatchingHost(plan.hosts().stream().map(Destination::host).toList());
                return whole(job, none).map(results -> results.stream().map(sts::reportNoMatchingHost).toList());
            }
            return next(start, start, new Cursor(allowed));
        });
    }

    /** A job whose policy cannot be applied: every recipient deferred (POLICY_UNUSABLE), no session tried. */
    public static List<RecipientResult> policyUnusable(DeliveryJob job, String problem) {
        return SmtpTrouble.allFailed(job, SessionFailure.of(Kind.POLICY_UNUSABLE, Stage.CONNECT, job.domain(), problem));
    }

    private static Future<List<RecipientResult>> whole(DeliveryJob job, SessionFailure f) {
        return Future.succeededFuture(SmtpTrouble.allFailed(job, f));
    }

    /** Where the destination loop stands: hosts not yet tried, addresses left of the current one, results that stand. */
    private static final class Cursor {
        final Deque<Destination> hosts;
        final Deque<RemoteEndpoint> addresses = new ArrayDeque<>();
        List<RecipientResult> last;
        /** The job's settings for the current host (its DANE verdict applied); every address of it starts from these. */
        JobState hostStart;

        Cursor(List<Destination> hosts) {
            this.hosts = new ArrayDeque<>(hosts);
        }
    }

    /**
     * The destination loop, one session per step: the current address (resolving the next host's
     * addresses, after its DANE verdict, when the current host has none left), then what the failure
     * policy says. Every address starts from the job's settings for its host ({@code start} under the
     * host's DANE verdict, {@link Cursor#hostStart}); a reconnect or a plaintext fallback
     * goes to the same address again with {@code state} changed. When nothing is left, the last
     * results stand.
     */
    private Future<List<RecipientResult>> next(JobState start, JobState state, Cursor at) {
        RemoteEndpoint remote = at.addresses.peekFirst();
        if (remote == null) {
            Destination host = at.hosts.pollFirst();
            if (host == null) {
                return Future.succeededFuture(at.last);
            }
            RemoteEndpoint unresolved = new RemoteEndpoint(host.host(), null, host.port(), host.via());
            // DANE first (RFC 7672 2.2): its verdict decides whether and how this host may be used
            return dane.check(start.job().policy().tls().dane(), start.job().domain(), host.via(), host.host(), host.port())
                    .compose(check -> {
                        JobState forHost = start.forHost(check);
                        SessionFailure refused = check.refusal(host.host());
                        if (refused != null) {
                            at.last = SmtpTrouble.before(forHost, refused, unresolved).results();
                            return next(start, start, at);
                        }
                        return destinations.addresses(host).compose(found -> {
                            if (found.none() != null) {
                                at.last = SmtpTrouble.before(forHost, found.none(), unresolved).results();
                            } else {
                                at.hostStart = forHost;
                                found.ips().forEach(ip -> at.addresses.addLast(new RemoteEndpoint(host.host(), ip, host.port(), host.via())));
                            }
                            return next(start, forHost, at);
                        });
                    });
        }
        return session(state, remote).compose(verdict -> switch (verdict.next()) {
            case DONE -> Future.succeededFuture(verdict.results());
            case RECONNECT -> next(start, state.reconnect(), at);
            case PLAINTEXT -> next(start, state.plaintext(verdict.transcript()), at);
            case NEXT_ADDRESS -> {
                at.addresses.pollFirst();
                at.last = verdict.results();
                yield next(start, at.hostStart, at);
            }
        });
    }

    /** One session to {@code remote} from its pool, and the failure policy's verdict on it. */
    private Future<SmtpTrouble.Verdict> session(JobState state, RemoteEndpoint remote) {
        SmtpPool pool;
        Future<PooledSession> acquiring;
        do {
            // a pool the idle cleanup retired after poolFor handed it out gives nothing: look it up again
            pool = poolFor(state, remote);
            acquiring = pool.acquire(settings.poolWait());
        } while (acquiring == null);
        SmtpPool from = pool;
        return acquiring.transform(acquired -> {
            if (acquired.failed()) {
                SessionFailure busy = SessionFailure.of(Kind.BUSY, Stage.CONNECT, remote.host(), String.valueOf(from.max()));
                return Future.succeededFuture(SmtpTrouble.before(state, busy, remote));
            }
            PooledSession session = acquired.result();
            var transcript = state.newTranscript();
            long started = System.nanoTime();
            return session.send(state.message(), transcript).transform(sent -> {
                observer.sendEnded(System.nanoTime() - started, sent.succeeded());
                SmtpTrouble.Verdict verdict = SmtpTrouble.afterSend(state, session, transcript, sent);
                // only now: the next job's send resets the tap
                from.release(session, sent.succeeded());
                return Future.succeededFuture(verdict);
            });
        });
    }

    private SmtpPool poolFor(JobState state, RemoteEndpoint remote) {
        EffectivePolicy p = state.job().policy();
        SessionSettings s = state.session();
        // a job's policy is complete (OutboundJob.policyUnusable defers one that is not): the limits are set.
        // A hot domain's jobs are split into slots over the workers: each slot's pool holds only its share
        // of maxConnections, so the shares of the whole fleet add up to maxConnections (OutboundKey)
        int maxConnections = state.job().slot().share(p.limits().maxConnections());
        int perConnection = p.limits().messagesPerConnection();
        String key = remote.host() + "|" + remote.ip() + "|" + remote.port() + "|" + p.rule() + "|" + p.version() + "|" + s.poolKey()
                + "|" + state.job().slot();
        return pools.computeIfAbsent(key, k -> new SmtpPool(vertx, maxConnections,
                () -> new PooledSession(vertx, remote, s, check, settings.timeouts(), perConnection)));
    }
}
