package io.postway.delivery.infra;

import io.postway.delivery.domain.Classification;
import io.postway.delivery.domain.DeliveryJob;
import io.postway.delivery.domain.DeliveryPolicy;
import io.postway.delivery.domain.Diagnosis;
import io.postway.delivery.domain.DotStuffing;
import io.postway.delivery.domain.MxOrder;
import io.postway.delivery.domain.Outcome;
import io.postway.delivery.domain.SecretBox;
import io.postway.delivery.domain.SessionFailure;
import io.postway.delivery.domain.SessionFailure.Kind;
import io.postway.delivery.domain.SmtpReply;
import io.postway.delivery.domain.Stage;
import io.postway.delivery.domain.TlsMode;
import io.postway.delivery.domain.Transcript;
import io.postway.delivery.domain.Via;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;

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
    private final SecretBox secrets;
    private final Settings settings;
    private final TlsClients clients;
    private final SmtpSessionOpener opener;
    private final Map<String, SmtpPool> pools = new ConcurrentHashMap<>();
    private final Random random = new Random();
    private final long reaper;
    private final ContextInternal[] loops;
    private final AtomicInteger nextLoop = new AtomicInteger();

    public SmtpDelivery(Vertx vertx, DnsResolver dns, SecretBox secrets, PeerCertificateCheck check, Settings settings) {
        this.vertx = vertx;
        this.dns = dns;
        this.secrets = secrets;
        this.settings = settings;
        this.clients = new TlsClients(vertx, (int) settings.timeouts().connect().toMillis());
        this.opener = new SmtpSessionOpener(vertx, clients, check, settings.timeouts());
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

    /** See {@link TlsClients#allowLegacyProtocolsWherePolicyAsks()}. */
    public static void allowLegacyTlsWherePolicyAsks() {
        TlsClients.allowLegacyProtocolsWherePolicyAsks();
    }

    public void close() {
        vertx.cancelTimer(reaper);
        pools.values().forEach(SmtpPool::closeAll);
        pools.clear();
        clients.close();
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
        byte[] payload = DotStuffing.stuff(job.content());
        return destinations(job).compose(targets -> tryTargets(job, session, payload, targets, 0, null))
                .recover(t -> {
                    SessionFailure f = dnsFailure(job.domain(), t);
                    return Future.succeededFuture(allFailed(job, f, diagnose(f, job.policy()), null, TlsReport.NONE, false, List.of()));
                });
    }

    private SessionSettings sessionSettings(DeliveryPolicy p) {
        DeliveryPolicy.Tls tls = p.tls();
        if (tls.mode() == TlsMode.REQUIRED && tls.fallbackToPlaintext()) {
            throw new IllegalArgumentException("fallbackToPlaintext is not allowed with tls.mode REQUIRED");
        }
        io.postway.delivery.domain.TlsVersions.between(tls.minVersion(), tls.maxVersion());
        String password = null;
        if (p.auth() != null && p.auth().enabled()) {
            if (p.auth().passwordEncrypted() == null) {
                throw new IllegalArgumentException("auth." + p.auth().method() + " without a password");
            }
            password = secrets.decrypt(p.auth().passwordEncrypted(), p.rule());
        }
        return new SessionSettings(tls.mode(), tls.mode() != TlsMode.DISABLED, tls.verify(), tls.minVersion(),
                tls.maxVersion(), tls.implicit(), p.auth() == null ? null : p.auth().method(),
                p.auth() == null ? null : p.auth().username(), password, settings.heloName());
    }

    /** A target host in the order to try; its addresses are resolved when its turn comes. */
    private record Target(String host, int port, Via via, List<String> knownAddresses) {
    }

    private Future<List<Target>> destinations(DeliveryJob job) {
        DeliveryPolicy.Route route = job.policy().route();
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
    private Future<List<RecipientResult>> tryTargets(DeliveryJob job, SessionSettings s, byte[] payload,
                                                     List<Target> targets, int index, List<RecipientResult> lastFailure) {
        if (index >= targets.size()) {
            return Future.succeededFuture(lastFailure);
        }
        Target t = targets.get(index);
        Future<List<String>> addresses = t.via == Via.SMART_HOST ? Future.succeededFuture(java.util.Collections.singletonList(null))
                : t.knownAddresses != null ? Future.succeededFuture(t.knownAddresses) : dns.addresses(t.host);
        return addresses.recover(e -> Future.succeededFuture(List.of()))
                .compose(ips -> tryAddresses(job, s, payload, t, ips, 0, lastFailure))
                .compose(results -> {
                    boolean moveOn = results == null || results.stream().allMatch(r -> r.outcome() == Outcome.DEFERRED
                            && (r.stage() == Stage.CONNECT || r.stage() == Stage.GREETING));
                    return moveOn && index + 1 < targets.size()
                            ? tryTargets(job, s, payload, targets, index + 1, results)
                            : Future.succeededFuture(results != null ? results : lastFailure);
                });
    }

    private Future<List<RecipientResult>> tryAddresses(DeliveryJob job, SessionSettings s, byte[] payload, Target t,
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
        return attempt(job, s, payload, remote, false, null, 0).compose(results -> {
            boolean moveOn = results.stream().allMatch(r -> r.outcome() == Outcome.DEFERRED
                    && (r.stage() == Stage.CONNECT || r.stage() == Stage.GREETING));
            return moveOn && i + 1 < ips.size() ? tryAddresses(job, s, payload, t, ips, i + 1, results)
                    : Future.succeededFuture(results);
        });
    }

    /** A pooled session the server had closed meanwhile: nothing was delivered, try a fresh one. */
    private static final class StaleSession extends RuntimeException {
        StaleSession() {
            super(null, null, false, false);
        }
    }

    private Future<List<RecipientResult>> attempt(DeliveryJob job, SessionSettings s, byte[] payload, RemoteEndpoint remote,
                                                  boolean fellBack, Transcript before, int staleRetries) {
        DeliveryPolicy p = job.policy();
        String key = remote.host() + "|" + remote.ip() + "|" + remote.port() + "|" + p.rule() + "|" + p.version() + "|" + s.poolKey();
        SmtpPool pool = pools.computeIfAbsent(key, k -> new SmtpPool(vertx, remote.host(),
                p.limits() == null ? 10 : p.limits().maxConnections(),
                p.limits() == null ? 100 : p.limits().messagesPerConnection(),
                () -> opener.open(remote, s)));
        return pool.acquire(settings.poolWait()).compose(
                session -> transact(job, session, payload, pool, fellBack, before),
                err -> {
                    SmtpFailureException e = err instanceof SmtpFailureException sfe ? sfe
                            : new SmtpFailureException(Kind.CONNECTION_CLOSED, Stage.CONNECT, null, TlsFailures.describe(err));
                    Transcript tr = new Transcript();
                    if (before != null) {
                        tr.appendAll(before);
                    }
                    if (e.transcript != null) {
                        tr.appendAll(e.transcript);
                    }
                    if (e.isTlsHandshakeFailure() && !fellBack && p.tls().mode() == TlsMode.OPPORTUNISTIC
                            && p.tls().fallbackToPlaintext()) {
                        tr.note("TLS handshake failed; retrying without TLS (fallbackToPlaintext)");
                        return attempt(job, s.plaintextFallback(), payload, remote, true, tr, staleRetries);
                    }
                    SessionFailure f = e.toFailure(remote.host());
                    RemoteEndpoint seen = remote.withIp(e.remoteIp != null ? e.remoteIp : remote.ip());
                    return Future.succeededFuture(allFailed(job, f, diagnose(f, p), seen,
                            e.tls != null ? e.tls : TlsReport.NONE, fellBack, tr.lines()));
                })
                .recover(t -> t instanceof StaleSession && staleRetries < 3
                        ? attempt(job, s, payload, remote, fellBack, before, staleRetries + 1)
                        : Future.failedFuture(t));
    }

    /** MAIL, RCPT for each recipient, DATA (pipelined when offered), then the exact bytes. */
    private Future<List<RecipientResult>> transact(DeliveryJob job, SmtpSession session, byte[] payload, SmtpPool pool,
                                                   boolean fellBack, Transcript before) {
        Transcript tr = new Transcript();
        if (before != null) {
            tr.appendAll(before);
        }
        if (!session.used) {
            tr.appendAll(session.setupTranscript);
        } else {
            tr.note("reusing the session to " + session.remote.host() + " (" + session.messagesSent + " messages before)");
        }
        boolean reused = session.used;
        session.used = true;
        session.connection.useTranscript(tr);
        Timeouts to = settings.timeouts();
        String mailFrom = "MAIL FROM:<" + job.from() + ">"
                + (session.sizeLimit() > 0 || session.offers("SIZE") ? " SIZE=" + job.content().length : "")
                + (DotStuffing.hasEightBit(job.content()) && session.offers("8BITMIME") ? " BODY=8BITMIME" : "");
        List<String> rcpts = job.recipients();
        List<String> lines = new ArrayList<>();
        List<Stage> stages = new ArrayList<>();
        lines.add(mailFrom);
        stages.add(Stage.MAIL);
        rcpts.forEach(r -> {
            lines.add("RCPT TO:<" + r + ">");
            stages.add(Stage.RCPT);
        });
        lines.add("DATA");
        stages.add(Stage.DATA);

        Future<List<SmtpReply>> envelope = session.offers("PIPELINING")
                ? Future.all(session.connection.pipeline(lines, stages, to.command()))
                        .map(cf -> cf.<SmtpReply>list())
                : sequentialEnvelope(session, lines, stages, to.command());

        DeliveryPolicy p = job.policy();
        return envelope.compose(replies -> {
            SmtpReply mail = replies.get(0);
            List<RecipientResult> results = new ArrayList<>();
            if (!mail.positive()) {
                SessionFailure f = mailFailure(session, mail);
                for (String r : rcpts) {
                    results.add(result(r, f, diagnose(f, p), session, fellBack, tr));
                }
                return endOpenedData(session, replies).compose(v -> reset(session, pool, results),
                        err -> Future.succeededFuture(release(session, pool, false, results)));
            }
            List<String> accepted = new ArrayList<>();
            for (int i = 0; i < rcpts.size(); i++) {
                SmtpReply rr = i + 1 < replies.size() ? replies.get(i + 1) : null;
                if (rr != null && rr.positive()) {
                    accepted.add(rcpts.get(i));
                } else if (rr != null) {
                    SessionFailure f = SessionFailure.reply(Stage.RCPT, session.remote.host(), rr);
                    results.add(result(rcpts.get(i), f, diagnose(f, p), session, fellBack, tr));
                }
            }
            SmtpReply dataReply = replies.size() == rcpts.size() + 2 ? replies.get(rcpts.size() + 1) : null;
            if (dataReply == null) {
                // sequential envelope stopped before DATA: every recipient refused
                return reset(session, pool, results);
            }
            if (dataReply.code() != 354) {
                SessionFailure f = SessionFailure.reply(Stage.DATA, session.remote.host(), dataReply);
                for (String r : accepted) {
                    results.add(result(r, f, diagnose(f, p), session, fellBack, tr));
                }
                return reset(session, pool, results);
            }
            if (accepted.isEmpty()) {
                // RFC 2920 3.1: DATA was accepted although no recipient was; end it with an empty message
                return session.connection.data(new byte[]{'.', '\r', '\n'}, to.data()).compose(
                        ignored -> reset(session, pool, results),
                        err -> Future.succeededFuture(release(session, pool, false, results)));
            }
            return session.connection.data(payload, to.data()).map(fin -> {
                boolean ok = fin.positive();
                for (String r : accepted) {
                    if (ok) {
                        String diag = Diagnosis.delivered(session.remote.host(), session.remote.via().name(),
                                new Diagnosis.TlsSummary(session.tls.used(), session.tls.protocol(), session.tls.cipher(), session.tls.verified()),
                                fellBack);
                        results.add(new RecipientResult(r, Outcome.DELIVERED, Stage.DONE, fin, diag, session.remote,
                                session.tls, fellBack, tr.lines()));
                    } else {
                        SessionFailure f = SessionFailure.reply(Stage.DATA, session.remote.host(), fin);
                        results.add(result(r, f, diagnose(f, p), session, fellBack, tr));
                    }
                }
                return release(session, pool, true, ordered(rcpts, results));
            });
        }).recover(err -> {
            SmtpFailureException e = err instanceof SmtpFailureException sfe ? sfe
                    : new SmtpFailureException(Kind.CONNECTION_CLOSED, Stage.DATA, null, TlsFailures.describe(err));
            if (reused && e.kind == Kind.CONNECTION_CLOSED && e.stage == Stage.MAIL) {
                // the server dropped the idle session (its timeout, a 421) before our MAIL: not a verdict
                pool.release(session, false);
                return Future.failedFuture(new StaleSession());
            }
            SessionFailure f = e.toFailure(session.remote.host());
            List<RecipientResult> results = new ArrayList<>();
            for (String r : rcpts) {
                results.add(result(r, f, diagnose(f, p), session, fellBack, tr));
            }
            return Future.succeededFuture(release(session, pool, false, results));
        });
    }

    private SessionFailure mailFailure(SmtpSession session, SmtpReply mail) {
        if (Classification.isTlsRequiredByRemote(mail, session.tls.used())) {
            return new SessionFailure(Kind.TLS_REQUIRED_BY_REMOTE, Stage.MAIL, session.remote.host(), mail, null);
        }
        return SessionFailure.reply(Stage.MAIL, session.remote.host(), mail);
    }

    private Future<List<SmtpReply>> sequentialEnvelope(SmtpSession session, List<String> lines, List<Stage> stages, Duration timeout) {
        List<SmtpReply> replies = new ArrayList<>();
        Future<Void> chain = Future.succeededFuture();
        for (int i = 0; i < lines.size(); i++) {
            int idx = i;
            chain = chain.compose(v -> {
                boolean isData = idx == lines.size() - 1;
                boolean mailRefused = !replies.isEmpty() && !replies.get(0).positive();
                boolean noneAccepted = isData && replies.stream().skip(1).noneMatch(SmtpReply::positive);
                if (mailRefused || noneAccepted) {
                    return Future.succeededFuture();
                }
                return session.connection.command(lines.get(idx), stages.get(idx), timeout).map(r -> {
                    replies.add(r);
                    return null;
                });
            });
        }
        return chain.map(v -> replies);
    }

    /** A pipelined DATA may have been accepted (354) although MAIL was not: the dot must still end it. */
    private Future<Void> endOpenedData(SmtpSession session, List<SmtpReply> replies) {
        SmtpReply last = replies.get(replies.size() - 1);
        if (replies.size() < 2 || last.code() != 354) {
            return Future.succeededFuture();
        }
        return session.connection.data(new byte[]{'.', '\r', '\n'}, settings.timeouts().data()).mapEmpty();
    }

    /** After an aborted transaction, RSET makes the session reusable (RFC 5321 4.1.1.5). */
    private Future<List<RecipientResult>> reset(SmtpSession session, SmtpPool pool, List<RecipientResult> results) {
        return session.connection.command("RSET", Stage.DONE, settings.timeouts().command())
                .map(r -> release(session, pool, r.positive(), results))
                .otherwise(t -> release(session, pool, false, results));
    }

    private static List<RecipientResult> release(SmtpSession session, SmtpPool pool, boolean reusable, List<RecipientResult> results) {
        pool.release(session, reusable);
        return results;
    }

    private static List<RecipientResult> ordered(List<String> rcpts, List<RecipientResult> results) {
        List<RecipientResult> out = new ArrayList<>();
        for (String r : rcpts) {
            results.stream().filter(x -> x.recipient().equals(r)).findFirst().ifPresent(out::add);
        }
        return out;
    }

    private static RecipientResult result(String recipient, SessionFailure f, String diagnosis, SmtpSession session,
                                          boolean fellBack, Transcript tr) {
        return new RecipientResult(recipient, Classification.of(f), f.stage(), f.reply(), diagnosis, session.remote,
                session.tls, fellBack, tr.lines());
    }

    private static List<RecipientResult> allFailed(DeliveryJob job, SessionFailure f, String diagnosis, RemoteEndpoint remote,
                                                   TlsReport tls, boolean fellBack, List<String> transcript) {
        Outcome outcome = Classification.of(f);
        return job.recipients().stream()
                .map(r -> new RecipientResult(r, outcome, f.stage(), f.reply(), diagnosis, remote, tls, fellBack, transcript))
                .toList();
    }

    private static String diagnose(SessionFailure f, DeliveryPolicy p) {
        return Diagnosis.of(f, p.tls(), p.auth() == null ? new DeliveryPolicy.Auth(null, null, null) : p.auth());
    }
}
