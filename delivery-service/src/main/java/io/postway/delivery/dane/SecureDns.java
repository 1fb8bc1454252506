package io.postway.delivery.dane;

import io.postway.contract.policy.SmartHost;
import io.postway.delivery.config.DeliveryConfig.Dane.DnssecTrust;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.dnssec.ValidatingResolver;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * DNS look-ups that say whether their answer is DNSSEC-secure, in one of two modes
 * ({@code postway.delivery.dane.resolver}): {@code VALIDATE} validates every answer itself with
 * dnsjava's {@link ValidatingResolver} over the configured DNS server, from a trust anchor file
 * (DS or DNSKEY records); {@code AD_BIT} trusts the AD bit of a configured validating resolver
 * (unbound, a local resolver on the same host: RFC 6698 4.1 and RFC 7672 2.1 require the path to it
 * to be trusted). A SERVFAIL whose extended error (RFC 8914) or validation reason names a DNSSEC
 * problem is BOGUS; any other failure or a timeout is FAILED. dnsjava runs on its own two threads,
 * never on an event loop; each query is bounded by the timeout.
 */
public final class SecureDns implements AutoCloseable {

    public enum Security { SECURE, INSECURE, BOGUS, FAILED }

    /** {@code records}: the answer's records of the type asked for; {@code detail}: why BOGUS or FAILED. */
    public record Answer(Security security, int rcode, List<Record> records, String detail) {
        public boolean nameOrDataMissing() {
            return rcode == Rcode.NXDOMAIN || (rcode == Rcode.NOERROR && records.isEmpty());
        }
    }

    private final Resolver resolver;
    private final boolean validatesItself;
    private final Duration timeout;
    private final ExecutorService executor;

    private SecureDns(Resolver resolver, boolean validatesItself, Duration timeout, ExecutorService executor) {
        this.resolver = resolver;
        this.validatesItself = validatesItself;
        this.timeout = timeout;
        this.executor = executor;
    }

    /**
     * @param server      {@code host[:port]}; the system's first resolver when null
     * @param trustAnchors DS/DNSKEY records in master-file form, required for {@code VALIDATE}
     */
    public static SecureDns create(DnssecTrust mode, String server, Path trustAnchors, Duration timeout) {
        SimpleResolver head = new SimpleResolver(address(server));
        head.setTimeout(timeout);
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "dane-dns");
            t.setDaemon(true);
            return t;
        });
        if (mode == DnssecTrust.AD_BIT) {
            // the DO bit, so that the resolver validates and answers with AD (RFC 3225, RFC 6840 5.7)
            head.setEDNS(0, 1232, ExtendedFlags.DO, List.of());
            return new SecureDns(head, false, timeout, executor);
        }
        if (trustAnchors == null) {
            throw new IllegalArgumentException("postway.delivery.dane.trust-anchors is required with resolver VALIDATE");
        }
        ValidatingResolver validating = new ValidatingResolver(head);
        try (InputStream in = Files.newInputStream(trustAnchors)) {
            validating.loadTrustAnchors(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the DANE trust anchors " + trustAnchors + ": " + e.getMessage(), e);
        }
        validating.setTimeout(timeout);
        return new SecureDns(validating, true, timeout, executor);
    }

    private static InetSocketAddress address(String server) {
        if (server == null || server.isBlank()) {
            return ResolverConfig.getCurrentConfig().server();
        }
        SmartHost dns = SmartHost.parse(server.strip())
                .orElseThrow(() -> new IllegalArgumentException("DANE DNS server " + server + " is not host[:port]"));
        return new InetSocketAddress(dns.host(), dns.port(53));
    }

    /** The records of {@code type} at {@code name}, and how secure the answer is. Never fails: a failure is an Answer. */
    public CompletionStage<Answer> query(String name, int type) {
        Message query;
        try {
            query = Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN));
        } catch (TextParseException e) {
            return CompletableFuture.completedFuture(new Answer(Security.FAILED, Rcode.FORMERR, List.of(), "not a DNS name: " + name));
        }
        if (!validatesItself) {
            query.getHeader().setFlag(Flags.AD);
        }
        // started on dnsjava's own threads: the validation (signature checks, cached keys) never runs on the caller's event loop
        return CompletableFuture.supplyAsync(() -> resolver.sendAsync(query, executor), executor)
                .thenCompose(CompletionStage::toCompletableFuture)
                .orTimeout(timeout.toMillis() * 2, TimeUnit.MILLISECONDS)
                .handle((response, error) -> error != null
                        ? new Answer(Security.FAILED, Rcode.SERVFAIL, List.of(), "no answer for " + name + " (" + rootCause(error) + ")")
                        : answer(response, type, name));
    }

    private Answer answer(Message response, int type, String name) {
        int rcode = response.getRcode();
        List<Record> records = response.getSection(Section.ANSWER).stream().filter(r -> r.getType() == type).toList();
        if (rcode == Rcode.SERVFAIL) {
            String bogus = bogusReason(response);
            return bogus != null ? new Answer(Security.BOGUS, rcode, List.of(), bogus)
                    : new Answer(Security.FAILED, rcode, List.of(), "SERVFAIL for " + name);
        }
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
            return new Answer(Security.FAILED, rcode, List.of(), Rcode.string(rcode) + " for " + name);
        }
        return new Answer(response.getHeader().getFlag(Flags.AD) ? Security.SECURE : Security.INSECURE, rcode, records, null);
    }

    /** The DNSSEC problem a SERVFAIL names (an extended DNS error 1-12, or dnsjava's validation reason), else null. */
    private static String bogusReason(Message response) {
        OPTRecord opt = response.getOPT();
        if (opt != null) {
            for (EDNSOption o : opt.getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR)) {
                if (o instanceof ExtendedErrorCodeOption ede && ede.getErrorCode() >= ExtendedErrorCodeOption.UNSUPPORTED_DNSKEY_ALGORITHM
                        && ede.getErrorCode() <= ExtendedErrorCodeOption.NSEC_MISSING) {
                    return ExtendedErrorCodeOption.text(ede.getErrorCode()) + (ede.getText() == null ? "" : ": " + ede.getText());
                }
            }
        }
        for (Record r : response.getSection(Section.ADDITIONAL)) {
            if (r.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS) {
                return r.rdataToString();
            }
        }
        return null;
    }

    private static String rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
