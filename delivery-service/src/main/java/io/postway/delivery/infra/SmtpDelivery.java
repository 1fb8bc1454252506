package io.postway.delivery.infra;

import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.policy.PolicyRule;
import io.postway.delivery.domain.Classification;
import io.postway.delivery.domain.DeliveryJob;
import io.postway.delivery.domain.Diagnosis;
import io.postway.delivery.domain.MxOrder;
import io.postway.delivery.domain.Outcome;
import io.postway.delivery.domain.PolicyPasswords;
import io.postway.delivery.domain.SessionFailure;
import io.postway.delivery.domain.SessionFailure.Kind;
import io.postway.delivery.domain.SmtpReply;
import io.postway.delivery.domain.Stage;
import io.postway.contract.policy.TlsMode;
import io.postway.delivery.domain.Transcript;
import io.postway.delivery.domain.Via;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import io.vertx.ext.mail.MailMessage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivers one job: chooses the destination (smart host, MX hosts in order, implicit MX), takes a
 * pooled session under the job's policy (falling back to plaintext once when the policy allows),
 * runs the mail transaction with the exact message bytes and returns one result per recipient.
 * Never blocks: everything is composed on Vert.x futures.
 */
public final class SmtpDelivery {

    public record Settings(String heloName, Timeouts timeouts, Duration poolWait, Duration idleTimeout) {
    }

    private final Vertx vertx;
    private final DnsResolver dns;
    private final PolicyPasswords passwords;
    private final Settings settings;
    private final PeerCertificateCheck check;
    private final Map<String, SmtpPool> pools = new ConcurrentHashMap<>();
    private final Random random = new Random();
    private final long reaper;
    private final ContextInternal[] loops;
    private final AtomicInteger nextLoop = new AtomicInteger();

    public SmtpDelivery(Vertx vertx, DnsResolver dns, PolicyPasswords passwords, PeerCertificateCheck check, Settings settings) {
        this.vertx = vertx;
        this.dns = dns;
        this.passwords = passwords;
        this.settings = settings;
        this.check = check;
        long period = Math.max(1000, Math.min(settings.idleTimeout().toMillis() / 2, 10_000));
        VertxInternal vi = (VertxInternal) vertx;
        int eventLoops = 0;
        for (var ignored : vi.getEventLoopGroup()) {
            eventLoops++;
        }
        this.loops = new ContextInternal[Math.max(1, eventLoops)];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = vi.createEventLoopContext();
        }
        this.reaper = vertx.setPeriodic(period, id ->
                pools.entrySet().removeIf(e -> e.getValue().closeIdle(settings.idleTimeout())));
    }

    /** See {@link MailClientSession#allowLegacyProtocolsWherePolicyAsks()}. */
    public static void allowLegacyTlsWherePolicyAsks() {
        MailClientSession.allowLegacyProtocolsWherePolicyAsks();
    }

    public void close() {
        vertx.cancelTimer(reaper);
        pools.values().forEach(SmtpPool::closeAll);
        pools.clear();
    }

    public int openConnections() {
        return pools.values().stream().mapToInt(SmtpPool::openCount).sum();
    }

    /**
     * Runs on an event loop whatever thread calls: sockets and their callbacks are bound to the
     * context that opens them, and a worker context (a blocking Kafka consumer) would queue every
     * SMTP reply behind the blocked worker threads of its pool.
     */
    public Future<List<RecipientResult>> deliver(DeliveryJob job) {
        Context current = Vertx.currentContext();
        for (ContextInternal loop : loops) {
            if (loop == current) {
                return deliverOnLoop(job);
            }
        }
        Promise<List<RecipientResult>> done = Promise.promise();
        loops[Math.floorMod(nextLoop.getAndIncrement(), loops.length)].runOnContext(v -> deliverOnLoop(job).onComplete(done));
        return done.future();
    }

    private Future<List<RecipientResult>> deliverOnLoop(DeliveryJob job) {
        SessionSettings session;
        try {
            session = sessionSettings(job.policy());
        } catch (IllegalArgumentException e) {
            SessionFailure f = SessionFailure.of(Kind.TLS_HANDSHAKE, Stage.CONNECT, job.domain(), e.getMessage());
            String diag = "The policy for " + job.domain() + " cannot be applied (" + e.getMessage() + "). Fix the policy; the message will be retried.";
            return Future.succeededFuture(allFailed(job, f, diag, null, TlsReport.NONE, false, List.of()));
        }
        MailMessage message;
        try {
            message = OutgoingMessage.of(job.from(), job.recipients(), job.content());
        } catch (IllegalArgumentException e) {
            String diag = "The message cannot be sent as 7-bit MIME, which the SMTP client requires (" + e.getMessage()
                    + "), so it bounces. Submit it with quoted-printable or base64 content.";
            return Future.succeededFuture(job.recipients().stream()
                    .map(r -> new RecipientResult(r, Outcome.BOUNCED, Stage.DATA, null, diag, null, TlsReport.NONE, false, List.of()))
                    .toList());
        }
        return destinations(job).compose(targets -> tryTargets(job, session, message, targets, 0, null))
                .recover(t -> {
                    SessionFailure f = dnsFailure(job.domain(), t);
                    return Future.succeededFuture(allFailed(job, f, diagnose(f, job.policy()), null, TlsReport.NONE, false, List.of()));
                });
    }

    private SessionSettings sessionSettings(EffectivePolicy p) {
        PolicyRule.Tls tls = p.tls();
        if (tls.mode() == TlsMode.REQUIRED && Boolean.TRUE.equals(tls.fallbackToPlaintext())) {
            throw new IllegalArgumentException("fallbackToPlaintext is not allowed with tls.mode REQUIRED");
        }
        io.postway.delivery.domain.TlsVersions.between(tls.minVersion(), tls.maxVersion());
        String password = null;
        if (p.auth() != null && p.auth().enabled()) {
            if (p.auth().passwordEncrypted() == null) {
                throw new IllegalArgumentException("auth." + p.auth().method() + " without a password");
            }
            password = passwords.open(p);
        }
        return new SessionSettings(tls.mode(), tls.mode() != TlsMode.DISABLED, tls.verify(), tls.minVersion(),
                tls.maxVersion(), Boolean.TRUE.equals(tls.implicit()), p.auth() == null ? null : p.auth().method(),
                p.auth() == null ? null : p.auth().username(), password, settings.heloName());
    }

    /** A target host in the order to try; its addresses are resolved when its turn comes. */
    private record Target(String host, int port, Via via, List<String> knownAddresses) {
    }

    private Future<List<Target>> destinations(DeliveryJob job) {
        PolicyRule.Route route = job.policy().route();
        int port = route != null && route.port() != null ? route.port() : 25;
        if (route != null && route.smartHost() != null && !route.smartHost().isBlank()) {
            String sh = route.smartHost().strip();
            String host = sh;
            int shPort = port;
            int colon = sh.lastIndexOf(':');
            if (colon > 0 && sh.indexOf(':') == colon) {
                host = sh.substring(0, colon);
                shPort = Integer.parseInt(sh.substring(colon + 1));
            }
            // a smart host is the administrator's own name: resolved like any host name the JVM connects to
            return Future.succeededFuture(List.of(new Target(host, shPort, Via.SMART_HOST, List.of())));
        }
        return dns.mx(job.domain()).compose(mx -> {
            if (MxOrder.isNullMx(mx)) {
                return Future.failedFuture(new NullMx());
            }
            List<String> hosts = MxOrder.hosts(mx, random);
            if (!hosts.isEmpty()) {
                return Future.succeededFuture(hosts.stream().map(h -> new Target(h, port, Via.MX, null)).toList());
            }
            return dns.addresses(job.domain()).compose(ips -> ips.isEmpty()
                    ? Future.failedFuture(new NoAddress())
                    : Future.succeededFuture(List.of(new Target(job.domain(), port, Via.A, ips))));
        });
    }

    private static final class NullMx extends RuntimeException {
        NullMx() {
            super(null, null, false, false);
        }
    }

    private static final class NoAddress extends RuntimeException {
        NoAddress() {
            super(null, null, false, false);
        }
    }

    private static SessionFailure dnsFailure(String domain, Throwable t) {
        if (t instanceof NullMx) {
            return SessionFailure.of(Kind.NULL_MX, Stage.CONNECT, domain, null);
        }
        if (t instanceof NoAddress) {
            return SessionFailure.of(Kind.NO_ADDRESS, Stage.CONNECT, domain, null);
        }
        if (t instanceof DnsResolver.NoSuchDomain) {
            return SessionFailure.of(Kind.NO_SUCH_DOMAIN, Stage.CONNECT, domain, null);
        }
        return SessionFailure.of(Kind.DNS_FAILURE, Stage.CONNECT, domain, TlsFailures.describe(t));
    }

    /** Tries the targets in order; a connection or greeting failure moves on to the next (RFC 5321 5.1). */
    private Future<List<RecipientResult>> tryTargets(DeliveryJob job, SessionSettings s, MailMessage message,
                                                     List<Target> targets, int index, List<RecipientResult> lastFailure) {
        if (index >= targets.size()) {
            return Future.succeededFuture(lastFailure);
        }
        Target t = targets.get(index);
        Future<List<String>> addresses = t.via == Via.SMART_HOST ? Future.succeededFuture(java.util.Collections.singletonList(null))
                : t.knownAddresses != null ? Future.succeededFuture(t.knownAddresses) : dns.addresses(t.host);
        return addresses.recover(e -> Future.succeededFuture(List.of()))
                .compose(ips -> tryAddresses(job, s, message, t, ips, 0, lastFailure))
                .compose(results -> {
                    boolean moveOn = results == null || results.stream().allMatch(r -> r.outcome() == Outcome.DEFERRED
                            && (r.stage() == Stage.CONNECT || r.stage() == Stage.GREETING));
                    return moveOn && index + 1 < targets.size()
                            ? tryTargets(job, s, message, targets, index + 1, results)
                            : Future.succeededFuture(results != null ? results : lastFailure);
                });
    }

    private Future<List<RecipientResult>> tryAddresses(DeliveryJob job, SessionSettings s, MailMessage message, Target t,
                                                       List<String> ips, int i, List<RecipientResult> last) {
        if (ips.isEmpty()) {
            SessionFailure f = SessionFailure.of(Kind.DNS_FAILURE, Stage.CONNECT, t.host, "no A/AAAA record for the MX host");
            return Future.succeededFuture(allFailed(job, f, diagnose(f, job.policy()),
                    new RemoteEndpoint(t.host, null, t.port, t.via), TlsReport.NONE, false, List.of()));
        }
        if (i >= ips.size()) {
            return Future.succeededFuture(last);
        }
        RemoteEndpoint remote = new RemoteEndpoint(t.host, ips.get(i), t.port, t.via);
        return attempt(job, s, message, remote, false, null, 0).compose(results -> {
            boolean moveOn = results.stream().allMatch(r -> r.outcome() == Outcome.DEFERRED
                    && (r.stage() == Stage.CONNECT || r.stage() == Stage.GREETING));
            return moveOn && i + 1 < ips.size() ? tryAddresses(job, s, message, t, ips, i + 1, results)
                    : Future.succeededFuture(results);
        });
    }

    private Future<List<RecipientResult>> attempt(DeliveryJob job, SessionSettings s, MailMessage message, RemoteEndpoint remote,
                                                  boolean fellBack, Transcript before, int staleRetries) {
        EffectivePolicy p = job.policy();
        if (fellBack && s.authEnabled() && s.mode() != TlsMode.DISABLED) {
            // the plaintext retry would log in without TLS, which only a policy with TLS DISABLED allows
            SessionFailure f = SessionFailure.of(Kind.AUTH_NOT_ENCRYPTED, Stage.AUTH, remote.host(), null);
            return Future.succeededFuture(allFailed(job, f, diagnose(f, p), remote, TlsReport.NONE, true, before.lines()));
        }
        String key = remote.host() + "|" + remote.ip() + "|" + remote.port() + "|" + p.rule() + "|" + p.version() + "|" + s.poolKey();
        SmtpPool pool = pools.computeIfAbsent(key, k -> new SmtpPool(vertx,
                p.limits() == null || p.limits().maxConnections() == null ? 10 : p.limits().maxConnections(),
                () -> new MailClientSession(vertx, remote, s, check, settings.timeouts(),
                        p.limits() == null || p.limits().messagesPerConnection() == null ? 100 : p.limits().messagesPerConnection())));
        return pool.acquire(settings.poolWait()).compose(
                session -> send(job, session, message, pool, fellBack, before, staleRetries),
                busy -> {
                    SessionFailure f = ((SmtpFailureException) busy).toFailure(remote.host());
                    return Future.succeededFuture(allFailed(job, f, diagnose(f, p), remote, TlsReport.NONE, fellBack,
                            before == null ? List.of() : before.lines()));
                });
    }

    /** One {@code sendMail}; its outcome per recipient is read from the result and from what the tap saw. */
    private Future<List<RecipientResult>> send(DeliveryJob job, MailClientSession session, MailMessage message, SmtpPool pool,
                                               boolean fellBack, Transcript before, int staleRetries) {
        Transcript tr = new Transcript();
        if (before != null) {
            tr.appendAll(before);
        }
        EffectivePolicy p = job.policy();
        SessionTap tap = session.tap;
        return session.send(message, tr).transform(ar -> {
            RemoteEndpoint remote = session.remote.withIp(tap.remoteIp() != null ? tap.remoteIp() : session.remote.ip());
            TlsReport tls = tap.tls();
            List<RecipientResult> results = new ArrayList<>();
            if (ar.succeeded()) {
                List<String> accepted = ar.result().getRecipients();
                String delivered = Diagnosis.delivered(remote.host(), remote.via().name(),
                        new Diagnosis.TlsSummary(tls.used(), tls.protocol(), tls.cipher(), tls.verified()), fellBack);
                SessionFailure unanswered = SessionFailure.of(Kind.CONNECTION_CLOSED, Stage.RCPT, remote.host(), "no reply recorded");
                List<String> transcript = tr.lines();
                for (String r : job.recipients()) {
                    if (accepted.contains(r)) {
                        results.add(new RecipientResult(r, Outcome.DELIVERED, Stage.DONE, tap.lastReply(), delivered, remote,
                                tls, fellBack, transcript));
                    } else {
                        results.add(refusedOr(r, unanswered, tap, p, remote, tls, fellBack, transcript));
                    }
                }
                // only now: the next job's send resets the tap
                pool.release(session, true);
                return Future.succeededFuture(results);
            }
            SessionFailure f = SendFailures.classify(ar.cause(), tap, session.settings).toFailure(remote.host());
            pool.release(session, false);
            if (f.kind() == Kind.CONNECTION_CLOSED && f.stage() == Stage.MAIL && tap.wasReused() && staleRetries < 3) {
                // the server dropped the idle connection (its timeout, a 421) before our MAIL: not a verdict
                return attempt(job, session.settings, message, session.remote, fellBack, before, staleRetries + 1);
            }
            if (f.isTlsHandshakeFailure() && !fellBack && p.tls().mode() == TlsMode.OPPORTUNISTIC && Boolean.TRUE.equals(p.tls().fallbackToPlaintext())) {
                tr.note("TLS handshake failed (" + f.kind() + "); retrying without TLS (fallbackToPlaintext)");
                return attempt(job, session.settings.plaintextFallback(), message, session.remote, true, tr, staleRetries);
            }
            List<String> transcript = tr.lines();
            for (String r : job.recipients()) {
                results.add(refusedOr(r, f, tap, p, remote, tls, fellBack, transcript));
            }
            return Future.succeededFuture(results);
        });
    }

    /**
     * A recipient refused at RCPT gets its own reply; otherwise the session's failure applies to it.
     * After a refused MAIL the RCPT replies only repeat that refusal (pipelined, they came anyway).
     */
    private static RecipientResult refusedOr(String recipient, SessionFailure sessionFailure, SessionTap tap, EffectivePolicy p,
                                             RemoteEndpoint remote, TlsReport tls, boolean fellBack, List<String> transcript) {
        SmtpReply rcpt = tap.rcptReply(recipient);
        boolean ownReply = rcpt != null && !rcpt.positive() && sessionFailure.stage().compareTo(Stage.RCPT) >= 0;
        SessionFailure f = ownReply ? SessionFailure.reply(Stage.RCPT, remote.host(), rcpt) : sessionFailure;
        return new RecipientResult(recipient, Classification.of(f), f.stage(), f.reply(), diagnose(f, p), remote, tls,
                fellBack, transcript);
    }

    private static List<RecipientResult> allFailed(DeliveryJob job, SessionFailure f, String diagnosis, RemoteEndpoint remote,
                                                   TlsReport tls, boolean fellBack, List<String> transcript) {
        Outcome outcome = Classification.of(f);
        return job.recipients().stream()
                .map(r -> new RecipientResult(r, outcome, f.stage(), f.reply(), diagnosis, remote, tls, fellBack, transcript))
                .toList();
    }

    private static String diagnose(SessionFailure f, EffectivePolicy p) {
        return Diagnosis.of(f, p.tls(), p.auth() == null ? PolicyRule.Auth.EMPTY : p.auth());
    }
}
