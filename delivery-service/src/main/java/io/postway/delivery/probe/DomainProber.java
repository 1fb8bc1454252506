package io.postway.delivery.probe;

import io.postway.contract.event.DeliveryEvent;
import io.postway.contract.policy.DaneMode;
import io.postway.delivery.dane.DaneCheck;
import io.postway.delivery.dane.DaneLookup;
import io.postway.delivery.dane.DaneStatus;
import io.postway.delivery.tls.PinnedAuthentication;
import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.policy.TlsMode;
import io.postway.contract.policy.TlsVerify;
import io.postway.contract.policy.TlsVersion;
import io.postway.contract.probe.HostProbe;
import io.postway.contract.probe.ProbeRequest;
import io.postway.contract.probe.ProbeResult;
import io.postway.contract.probe.ProbeStatus;
import io.postway.delivery.dns.Destinations;
import io.postway.delivery.sts.MtaStsPolicies;
import io.postway.delivery.sts.StsLookup;
import io.postway.delivery.domain.ErrorChain;
import io.postway.delivery.domain.SessionFailure;
import io.postway.delivery.tls.ObservingTrustManager;
import io.postway.delivery.tls.PeerCertificateCheck;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Probes a domain the way a delivery under its effective policy would reach it: the hosts come from
 * delivery's own {@link Destinations} (smart host, else MX in order, else implicit MX) on the
 * policy's port, the certificate verdicts from delivery's {@link PeerCertificateCheck} and
 * {@link ObservingTrustManager} (trust store = the JDK's plus {@code POSTWAY_TLS_TRUST}, the name
 * checked is the MX name, not the address). Per host: one plaintext session for the greeting and
 * EHLO, then one session per TLS version offering that version alone (STARTTLS, or TLS from the
 * first byte when the policy says {@code implicit}), each ended by QUIT. No mail, no login.
 */
public final class DomainProber {

    private final Destinations destinations;
    private final PeerCertificateCheck check;
    private final String heloName;
    private final Duration stepTimeout;
    private final int maxHosts;
    private final Duration timeLimit;
    private final DaneLookup dane;
    private final MtaStsPolicies mtaSts;

    /**
     * @param timeLimit the whole probe's bound: hosts (and handshakes) not reached by then are
     *                  reported as not probed, so that an answer always comes before policy-service
     *                  gives the probe up
     */
    public DomainProber(Destinations destinations, PeerCertificateCheck check, String heloName, Duration stepTimeout, int maxHosts,
                        Duration timeLimit) {
        this(destinations, check, heloName, stepTimeout, maxHosts, timeLimit, DaneLookup.NONE, null);
    }

    /**
     * @param dane   the TLSA look-ups a delivery makes (DANE, RFC 7672): the probe's {@code dane} answer
     * @param mtaSts looks up the domain's MTA-STS policy for the answer's {@code mtaSts} check; null: NOT_CHECKED
     */
    public DomainProber(Destinations destinations, PeerCertificateCheck check, String heloName, Duration stepTimeout, int maxHosts,
                        Duration timeLimit, DaneLookup dane, MtaStsPolicies mtaSts) {
        this.dane = dane;
        this.mtaSts = mtaSts;
        this.destinations = destinations;
        this.check = check;
        this.heloName = heloName;
        this.stepTimeout = stepTimeout;
        this.maxHosts = maxHosts;
        this.timeLimit = timeLimit;
    }

    /** Blocks for the whole probe: each step waits at most the step timeout. */
    public ProbeResult probe(ProbeRequest request) {
        Instant started = now();
        EffectivePolicy policy = request.policy();
        Destinations.Plan plan;
        try {
            plan = destinations.plan(request.domain(), policy.route()).toCompletionStage().toCompletableFuture()
                    .get(stepTimeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return failed(request, started, "the MX look-up did not finish: " + ErrorChain.describe(e));
        }
        if (plan.unroutable() != null) {
            return failed(request, started, unroutable(plan.unroutable()));
        }
        boolean implicit = Boolean.TRUE.equals(policy.tls().implicit());
        Instant deadline = started.plus(timeLimit);
        List<HostProbe> hosts = new ArrayList<>();
        List<DeliveryEvent.Dane> daneByHost = new ArrayList<>();
        for (Destinations.Destination d : plan.hosts().subList(0, Math.min(maxHosts, plan.hosts().size()))) {
            List<X509Certificate[]> chains = new ArrayList<>();
            hosts.add(Instant.now().isBefore(deadline) ? probeHost(d, implicit, deadline, chains)
                    : unreachable(d, null, implicit, "NOT_PROBED: the probe's time limit of " + timeLimit.toSeconds()
                    + " s passed before this host's turn"));
            daneByHost.add(dane(request, d, chains));
        }
        return new ProbeResult(request.probeId(), request.domain(), ProbeStatus.DONE, started, now(), null, hosts,
                mtaStsCheck(request, plan), daneAnswer(hosts, daneByHost));
    }

    /** The host's DANE result as a delivery would have it: its TLSA verdict, judged against the chains its handshakes presented. */
    private DeliveryEvent.Dane dane(ProbeRequest request, Destinations.Destination d, List<X509Certificate[]> chains) {
        DaneCheck c;
        try {
            c = dane.check(request.policy().tls().dane(), request.domain(), d.via(), d.host(), d.port()).toCompletionStage()
                    .toCompletableFuture().get(stepTimeout.toMillis() * 4, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            c = new DaneCheck(DaneMode.orDefault(request.policy().tls().dane()), DaneStatus.LOOKUP_FAILED, DaneLookup.tlsaName(d.host(), d.port()),
                    List.of(), ErrorChain.describe(e));
        }
        PinnedAuthentication pinned = c.authentication(d.host());
        Boolean matched = pinned == null || chains.isEmpty() ? null : chains.stream().anyMatch(ch -> pinned.judge(ch).matched());
        return c.report(matched);
    }

    /**
     * The domain's DANE answer: the least favourable host status first (so MATCH only when every host
     * that was looked up matched), one clause per host in delivery order; NOT_CHECKED when no host was
     * looked up (tls.dane OFF, a smart host).
     */
    static ProbeResult.Check daneAnswer(List<HostProbe> hosts, List<DeliveryEvent.Dane> byHost) {
        List<String> worstFirst = List.of("BOGUS", "LOOKUP_FAILED", "MISMATCH", "UNUSABLE", "INSECURE", "NO_RECORDS", "MATCH");
        String status = worstFirst.stream().filter(st -> byHost.stream().anyMatch(b -> b.status().equals(st))).findFirst().orElse(null);
        if (status == null) {
            return new ProbeResult.Check(ProbeResult.Check.NOT_CHECKED, "no TLSA look-up was made (tls.dane OFF, a smart host, or no DANE resolver)");
        }
        List<String> clauses = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            DeliveryEvent.Dane b = byHost.get(i);
            clauses.add(hosts.get(i).host() + ": " + b.status() + (b.tlsaName() == null ? "" : " (" + b.tlsaName()
                    + (b.records().isEmpty() ? "" : " " + String.join(", ", b.records().stream().map(DomainProber::shortRecord).toList())) + ")")
                    + (b.failure() == null ? "" : ", " + b.failure()));
        }
        return new ProbeResult.Check(status, String.join("; ", clauses));
    }

    private static String shortRecord(String presentation) {
        return presentation.length() > 22 ? presentation.substring(0, 22) + "…" : presentation;
    }

    /** The domain's MTA-STS policy and, under it, whether each MX host matches its patterns. */
    private ProbeResult.Check mtaStsCheck(ProbeRequest request, Destinations.Plan plan) {
        if (mtaSts == null) {
            return null;
        }
        if (request.policy().route().smartHost() != null) {
            return new ProbeResult.Check("NOT_CHECKED", "the rule routes through a smart host; MTA-STS applies to MX delivery only");
        }
        StsLookup found;
        try {
            found = mtaSts.lookup(request.domain()).toCompletionStage().toCompletableFuture()
                    .get(stepTimeout.toMillis() * 3, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return new ProbeResult.Check("FETCH_ERROR", "the MTA-STS look-up did not finish: " + ErrorChain.describe(e));
        }
        if (found.policy() == null) {
            return new ProbeResult.Check(found.status().name(), found.reason() + (found.failure() == null ? "" : " (" + found.failure() + ")"));
        }
        String matches = plan.hosts().stream()
                .map(d -> d.host() + (found.policy().matches(d.host()) ? " matches" : " does not match"))
                .collect(java.util.stream.Collectors.joining(", "));
        return new ProbeResult.Check(found.status().name(), "policy id " + found.policyId() + ", mode "
                + found.policy().mode().name().toLowerCase(java.util.Locale.ROOT) + ", mx " + String.join(", ", found.policy().mx())
                + ", max_age " + found.policy().maxAgeSeconds() + " s; " + matches);
    }

    private static String unroutable(SessionFailure f) {
        String detail = f.detail() == null ? "" : " (" + f.detail() + ")";
        return switch (f.kind()) {
            case NULL_MX -> f.host() + " publishes a null MX: it accepts no mail";
            case NO_SUCH_DOMAIN -> f.host() + " does not exist (NXDOMAIN)";
            case NO_ADDRESS -> f.host() + " has neither MX nor address records";
            case DNS_FAILURE -> "the DNS look-up of " + f.host() + " failed" + detail;
            default -> f.kind() + " for " + f.host() + detail;
        };
    }

    /** {@code chains}: gets the certificate chain of every accepted handshake (for the DANE match). */
    private HostProbe probeHost(Destinations.Destination d, boolean implicit, Instant deadline, List<X509Certificate[]> chains) {
        Destinations.Addresses addresses;
        try {
            addresses = destinations.addresses(d).toCompletionStage().toCompletableFuture()
                    .get(stepTimeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return unreachable(d, null, implicit, "CONNECT: the address look-up did not finish: " + ErrorChain.describe(e));
        }
        if (addresses.none() != null) {
            return unreachable(d, null, implicit, "CONNECT: " + addresses.none().kind() + " for " + d.host()
                    + (addresses.none().detail() == null ? "" : " (" + addresses.none().detail() + ")"));
        }
        String ip = addresses.ips().get(0);
        HostProbe.Capabilities caps = null;
        String greeting = null;
        if (!implicit) {
            try (SmtpProbeSession s = SmtpProbeSession.connect(d.host(), ip, d.port(), stepTimeout)) {
                String step = "GREETING";
                try {
                    SmtpProbeSession.Reply hello = s.read();
                    greeting = hello.first();
                    if (hello.code() != 220) {
                        return unreachable(d, ip, false, "GREETING: " + String.join(" / ", hello.lines()));
                    }
                    step = "EHLO";
                    SmtpProbeSession.Reply ehlo = s.command("EHLO " + heloName);
                    if (!ehlo.positive()) {
                        return unreachable(d, ip, false, "EHLO: " + String.join(" / ", ehlo.lines()));
                    }
                    caps = capabilities(ehlo, List.of());
                    s.quit();
                } catch (IOException e) {
                    return unreachable(d, ip, false, step + ": " + ErrorChain.describe(e));
                }
            } catch (IOException e) {
                return unreachable(d, ip, false, "CONNECT: " + ErrorChain.describe(e));
            }
            if (!caps.starttls()) {
                return new HostProbe(d.host(), ip, d.port(), d.via().name(), false, true, null, greeting, caps, List.of());
            }
        }
        List<HostProbe.Handshake> handshakes = new ArrayList<>();
        List<String> authAfterTls = null;
        String implicitError = null;
        for (TlsVersion v : TlsVersion.values()) {
            Handshaken h = Instant.now().isBefore(deadline) ? handshake(d, ip, v, implicit)
                    : refused(v, "not tried: the probe's time limit of " + timeLimit.toSeconds() + " s passed");
            handshakes.add(h.handshake());
            if (h.chain() != null) {
                chains.add(h.chain());
            }
            if (h.ehloAfterTls() != null && authAfterTls == null) {
                authAfterTls = h.ehloAfterTls().auth();
                if (implicit) {
                    caps = h.ehloAfterTls();
                    greeting = h.greeting();
                }
            }
            implicitError = implicitError == null ? h.handshake().failure() : implicitError;
        }
        if (implicit && caps == null) {
            return new HostProbe(d.host(), ip, d.port(), d.via().name(), true, false,
                    "TLS_HANDSHAKE: no version was accepted: " + implicitError, null, null, handshakes);
        }
        if (!implicit && authAfterTls != null) {
            caps = new HostProbe.Capabilities(caps.starttls(), caps.auth(), authAfterTls, caps.size(), caps.eightBitMime(),
                    caps.smtpUtf8(), caps.requireTls(), caps.ehlo());
        }
        return new HostProbe(d.host(), ip, d.port(), d.via().name(), implicit, true, null, greeting, caps, handshakes);
    }

    /** One handshake's facts, and (when accepted) the EHLO that followed it and the greeting under implicit TLS. */
    private record Handshaken(HostProbe.Handshake handshake, HostProbe.Capabilities ehloAfterTls, String greeting,
                              X509Certificate[] chain) {
    }

    private Handshaken handshake(Destinations.Destination d, String ip, TlsVersion v, boolean implicit) {
        String step = "CONNECT";
        try (SmtpProbeSession s = SmtpProbeSession.connect(d.host(), ip, d.port(), stepTimeout)) {
            if (!implicit) {
                step = "GREETING";
                s.read();
                step = "EHLO";
                s.command("EHLO " + heloName);
                step = "STARTTLS";
                SmtpProbeSession.Reply go = s.command("STARTTLS");
                if (go.code() != 220) {
                    return refused(v, "STARTTLS refused: " + String.join(" / ", go.lines()));
                }
            }
            step = "TLS_HANDSHAKE";
            SSLSocket tls;
            try {
                tls = s.startTls(context(d.host()), d.host(), v.wireName());
            } catch (IOException e) {
                return refused(v, ErrorChain.describe(e));
            }
            X509Certificate[] chain = chain(tls.getSession());
            HostProbe.Handshake facts = accepted(v, tls.getSession(), chain, d.host());
            String greeting = null;
            HostProbe.Capabilities after = null;
            try {
                if (implicit) {
                    step = "GREETING";
                    greeting = s.read().first();
                }
                step = "EHLO";
                SmtpProbeSession.Reply ehlo = s.command("EHLO " + heloName);
                after = ehlo.positive() ? capabilities(ehlo, null) : null;
                s.quit();
            } catch (IOException e) {
                // the handshake's facts stand; what follows it is only the capabilities after TLS
            }
            return new Handshaken(facts, after, greeting, chain);
        } catch (IOException e) {
            return refused(v, step + ": " + ErrorChain.describe(e));
        }
    }

    /** The trust manager a REQUIRED + HOSTNAME session would use, in report-only mode (OPPORTUNISTIC): it never ends the handshake. */
    private SSLContext context(String host) throws IOException {
        try {
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, new TrustManager[]{new ObservingTrustManager(check, host, TlsMode.OPPORTUNISTIC, TlsVerify.HOSTNAME,
                    (verdict, protocol, cipher) -> { })}, null);
            return c;
        } catch (GeneralSecurityException e) {
            throw new IOException("no TLS context: " + e.getMessage(), e);
        }
    }

    private static X509Certificate[] chain(SSLSession session) {
        try {
            Certificate[] peer = session.getPeerCertificates();
            return java.util.Arrays.stream(peer).filter(X509Certificate.class::isInstance).map(X509Certificate.class::cast)
                    .toArray(X509Certificate[]::new);
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            return new X509Certificate[0];
        }
    }

    private HostProbe.Handshake accepted(TlsVersion v, SSLSession session, X509Certificate[] chain, String host) {
        String problem = check.chainProblem(chain);
        Boolean nameOk = chain.length == 0 ? Boolean.FALSE : PeerCertificateCheck.namesHost(chain[0], host);
        return new HostProbe.Handshake(v, true, null, session.getProtocol(), session.getCipherSuite(),
                java.util.Arrays.stream(chain).map(DomainProber::certificate).toList(), problem == null, problem, nameOk);
    }

    private static Handshaken refused(TlsVersion v, String why) {
        return new Handshaken(new HostProbe.Handshake(v, false, why, null, null, List.of(), null, null, null), null, null, null);
    }

    static HostProbe.Certificate certificate(X509Certificate c) {
        return new HostProbe.Certificate(c.getSubjectX500Principal().getName(), c.getIssuerX500Principal().getName(),
                sans(c, 2), sans(c, 7), c.getNotBefore().toInstant(), c.getNotAfter().toInstant());
    }

    private static List<String> sans(X509Certificate c, int type) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> all = c.getSubjectAlternativeNames();
            if (all != null) {
                for (List<?> san : all) {
                    if (san.size() >= 2 && Integer.valueOf(type).equals(san.get(0))) {
                        out.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // an unparsable SAN extension names nothing
        }
        return out;
    }

    /** The capabilities of an EHLO reply (RFC 5321 keywords are case-insensitive); {@code authAfterTls} as known so far. */
    static HostProbe.Capabilities capabilities(SmtpProbeSession.Reply ehlo, List<String> authAfterTls) {
        boolean starttls = false, eightBit = false, utf8 = false, requireTls = false;
        Long size = null;
        List<String> auth = new ArrayList<>();
        for (int i = 1; i < ehlo.lines().size(); i++) {
            String line = ehlo.lines().get(i);
            String[] words = (line.length() > 4 ? line.substring(4) : "").trim().split("\\s+");
            String keyword = words[0].toUpperCase(Locale.ROOT);
            switch (keyword) {
                case "STARTTLS" -> starttls = true;
                case "8BITMIME" -> eightBit = true;
                case "SMTPUTF8" -> utf8 = true;
                case "REQUIRETLS" -> requireTls = true;
                case "SIZE" -> size = words.length > 1 && words[1].matches("\\d{1,18}") ? Long.valueOf(words[1]) : null;
                case "AUTH" -> {
                    for (int w = 1; w < words.length; w++) {
                        String m = words[w].toUpperCase(Locale.ROOT);
                        if (!auth.contains(m)) {
                            auth.add(m);
                        }
                    }
                }
                default -> {
                }
            }
        }
        return new HostProbe.Capabilities(starttls, auth, authAfterTls, size, eightBit, utf8, requireTls, ehlo.lines());
    }

    private HostProbe unreachable(Destinations.Destination d, String ip, boolean implicit, String error) {
        return new HostProbe(d.host(), ip, d.port(), d.via().name(), implicit, false, error, null, null, List.of());
    }

    private static ProbeResult failed(ProbeRequest r, Instant started, String why) {
        return new ProbeResult(r.probeId(), r.domain(), ProbeStatus.FAILED, started, now(), why, List.of(), null, null);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
