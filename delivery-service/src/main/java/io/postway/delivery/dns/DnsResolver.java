package io.postway.delivery.dns;

import io.postway.contract.policy.SmartHost;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.dns.DnsClient;
import io.vertx.core.dns.DnsClientOptions;
import io.vertx.core.dns.DnsException;
import io.vertx.core.dns.DnsResponseCode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * MX, TXT and address lookups through the configured DNS server ({@code POSTWAY_DNS_SERVER=host[:port]},
 * else the system's), with Vert.x's non-blocking DNS client.
 */
public final class DnsResolver {

    /** The domain does not exist (NXDOMAIN): a permanent answer. */
    public static final class NoSuchDomain extends RuntimeException {
        NoSuchDomain(String name) {
            super(name, null, false, false);
        }
    }

    private final DnsClient client;

    public DnsResolver(Vertx vertx, String server, Duration timeout) {
        DnsClientOptions options = new DnsClientOptions().setQueryTimeout(timeout.toMillis()).setRecursionDesired(true);
        if (server != null && !server.isBlank()) {
            // host[:port] like a smart host ([::1]:53 for an IPv6 address): the contract's one parser, port 53 by default
            SmartHost dns = SmartHost.parse(server.strip())
                    .orElseThrow(() -> new IllegalArgumentException("POSTWAY_DNS_SERVER " + server + " is not host[:port]"));
            options.setHost(dns.host()).setPort(dns.port(53));
        }
        this.client = vertx.createDnsClient(options);
    }

    public Future<List<MxRecord>> mx(String domain) {
        return client.resolveMX(domain)
                .map(records -> records.stream().map(r -> new MxRecord(r.priority(), r.name())).toList())
                .recover(t -> notFoundAsEmptyOr(t, domain, true));
    }

    /** The TXT records of a name (each record's strings joined); empty when it has none or does not exist. */
    public Future<List<String>> txt(String name) {
        return client.resolveTXT(name).recover(t -> notFoundAsEmptyOr(t, name, false));
    }

    /** A then AAAA addresses of a host; empty when it has none. */
    public Future<List<String>> addresses(String host) {
        Future<List<String>> a = client.resolveA(host).recover(t -> notFoundAsEmptyOr(t, host, false));
        Future<List<String>> aaaa = client.resolveAAAA(host).recover(t -> Future.succeededFuture(List.of()));
        return Future.all(a, aaaa).map(cf -> {
            List<String> all = new ArrayList<>(a.result());
            aaaa.result().forEach(ip -> {
                if (!all.contains(ip)) {
                    all.add(ip);
                }
            });
            return all;
        }).recover(t -> a.failed() ? Future.failedFuture(a.cause()) : Future.succeededFuture(a.result()));
    }

    private static <T> Future<List<T>> notFoundAsEmptyOr(Throwable t, String name, boolean nxdomainIsFatal) {
        if (t instanceof DnsException e && e.code() == DnsResponseCode.NXDOMAIN) {
            return nxdomainIsFatal ? Future.failedFuture(new NoSuchDomain(name)) : Future.succeededFuture(List.of());
        }
        if (t instanceof DnsException e && e.code() == DnsResponseCode.NOERROR) {
            return Future.succeededFuture(List.of());
        }
        return Future.failedFuture(t);
    }
}
