package io.postway.delivery.dane;

import io.postway.contract.policy.DaneMode;
import io.postway.delivery.config.DeliveryConfig;
import io.postway.delivery.domain.Via;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.Type;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The TLSA look-up of one destination (RFC 7672 2.2): only when the MX look-up (for an implicit MX,
 * the domain's address look-up) and the host's address look-up were DNSSEC-secure is the TLSA RRset
 * at {@code _<port>._tcp.<host>} looked up, through {@link SecureDns}. A smart host is the
 * administrator's own route and has no DANE (NOT_CHECKED), nor does a rule with {@code tls.dane: OFF}.
 * Runs off the event loop (SecureDns); the answer comes back on the caller's Vert.x context.
 */
public final class DaneLookup implements AutoCloseable {

    /** No DANE at all (tests and tools that build a delivery without it): every check is NOT_CHECKED. */
    public static final DaneLookup NONE = new DaneLookup(null, null);

    private final Vertx vertx;
    private final SecureDns dns;

    public DaneLookup(Vertx vertx, SecureDns dns) {
        this.vertx = vertx;
        this.dns = dns;
    }

    /** As configured ({@code postway.delivery.dane.*}): its own server, else delivery's DNS server, else the system's. */
    public static DaneLookup configured(Vertx vertx, DeliveryConfig config) {
        var d = config.dane();
        String server = d.server().filter(s -> !s.isBlank()).or(() -> config.dns().server().filter(s -> !s.isBlank())).orElse(null);
        return new DaneLookup(vertx, SecureDns.create(d.resolver(), server,
                d.trustAnchors().filter(s -> !s.isBlank()).map(Path::of).orElse(null), d.timeout()));
    }

    public static String tlsaName(String host, int port) {
        String h = host.toLowerCase(Locale.ROOT);
        return "_" + port + "._tcp." + (h.endsWith(".") ? h.substring(0, h.length() - 1) : h);
    }

    public Future<DaneCheck> check(DaneMode rule, String domain, Via via, String host, int port) {
        DaneMode mode = DaneMode.orDefault(rule);
        if (dns == null || mode == DaneMode.OFF || via == Via.SMART_HOST) {
            return Future.succeededFuture(DaneCheck.NOT_CHECKED);
        }
        String name = tlsaName(host, port);
        Function<String, DaneCheck> insecure = why -> new DaneCheck(mode, DaneStatus.INSECURE, name, List.of(), why);
        Future<DaneCheck> mx = via == Via.MX
                ? step(mode, name, domain, Type.MX, insecure.apply("the MX records of " + domain + " are not DNSSEC-signed"))
                : step(mode, name, domain, Type.A, insecure.apply("the address records of " + domain + " are not DNSSEC-signed"));
        return mx.compose(stop -> stop != null ? Future.succeededFuture(stop)
                : (via == Via.MX ? step(mode, name, host, Type.A, insecure.apply("the address records of " + host + " are not DNSSEC-signed"))
                   : Future.<DaneCheck>succeededFuture(null)))
                .compose(stop -> stop != null ? Future.succeededFuture(stop) : tlsa(mode, name));
    }

    /** A look-up whose answer must be secure before the next one: null to go on, else the check it ends in. */
    private Future<DaneCheck> step(DaneMode mode, String tlsaName, String name, int type, DaneCheck ifInsecure) {
        return query(name, type).map(a -> switch (a.security()) {
            case SECURE -> null;
            case INSECURE -> ifInsecure;
            case BOGUS -> new DaneCheck(mode, DaneStatus.BOGUS, tlsaName, List.of(), name + " " + Type.string(type) + ": " + a.detail());
            case FAILED -> new DaneCheck(mode, DaneStatus.LOOKUP_FAILED, tlsaName, List.of(), a.detail());
        });
    }

    private Future<DaneCheck> tlsa(DaneMode mode, String name) {
        return query(name, Type.TLSA).map(a -> switch (a.security()) {
            case INSECURE -> new DaneCheck(mode, DaneStatus.INSECURE, name, List.of(), "the TLSA records " + name + " are not DNSSEC-signed");
            case BOGUS -> new DaneCheck(mode, DaneStatus.BOGUS, name, List.of(), name + " TLSA: " + a.detail());
            case FAILED -> new DaneCheck(mode, DaneStatus.LOOKUP_FAILED, name, List.of(), a.detail());
            case SECURE -> {
                List<TlsaRecord> records = a.records().stream().map(r -> (TLSARecord) r)
                        .map(r -> new TlsaRecord(r.getCertificateUsage(), r.getSelector(), r.getMatchingType(), r.getCertificateAssociationData()))
                        .distinct().toList();
                if (records.isEmpty()) {
                    yield new DaneCheck(mode, DaneStatus.NO_RECORDS, name, List.of(), "no TLSA records at " + name);
                }
                boolean anyUsable = records.stream().anyMatch(TlsaRecord::usableForSmtp);
                yield new DaneCheck(mode, anyUsable ? DaneStatus.USABLE : DaneStatus.UNUSABLE, name, records,
                        anyUsable ? null : "none of the TLSA records at " + name + " is usable for SMTP (only DANE-TA(2) and DANE-EE(3) are)");
            }
        });
    }

    private Future<SecureDns.Answer> query(String name, int type) {
        return Future.fromCompletionStage(dns.query(name, type), vertx.getOrCreateContext());
    }

    @Override
    public void close() {
        if (dns != null) {
            dns.close();
        }
    }
}
