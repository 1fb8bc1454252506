package io.postway.delivery.dns;

import io.postway.contract.policy.PolicyRule;
import io.postway.contract.policy.SmartHost;
import io.postway.delivery.domain.ErrorChain;
import io.postway.delivery.domain.SessionFailure.Kind;
import io.postway.delivery.domain.SessionFailure;
import io.postway.delivery.domain.Stage;
import io.postway.delivery.domain.Via;
import io.vertx.core.Future;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Where a domain's mail goes (RFC 5321 5.1): the policy's smart host, else its MX hosts in preference
 * order, else the domain itself (implicit MX). A null MX, NXDOMAIN, no address at all or a failed
 * look-up is turned here, once, into the failure all recipients share.
 */
public final class Destinations {

    /** A host to try; its addresses are resolved when its turn comes, unless already {@code known}. */
    public record Destination(String host, int port, Via via, List<String> known) {
    }

    /** A destination's addresses in order (a null address: let the JVM resolve the name), or why there are none. */
    public record Addresses(List<String> ips, SessionFailure none) {
    }

    /** The hosts to try in order, or why there are none. */
    public record Plan(List<Destination> hosts, SessionFailure unroutable) {
    }

    private final DnsResolver dns;
    private final Random random = new Random();

    public Destinations(DnsResolver dns) {
        this.dns = dns;
    }

    /** The route of a complete policy (deploy/docs/contract.md, mail.outbound): {@code route.port} is always set. */
    public Future<Plan> plan(String domain, PolicyRule.Route route) {
        int port = route.port();
        if (route.smartHost() != null) {
            // the contract's one host[:port] parser: an IPv6 literal comes in brackets, [::1]:2525
            Optional<SmartHost> smartHost = SmartHost.parse(route.smartHost());
            if (smartHost.isEmpty()) {
                return unroutable(Kind.POLICY_UNUSABLE, domain, "route.smartHost " + route.smartHost() + " is not host[:port]");
            }
            // a smart host is the administrator's own name: resolved like any host name the JVM connects to
            return Future.succeededFuture(new Plan(List.of(new Destination(smartHost.get().host(), smartHost.get().port(port),
                    Via.SMART_HOST, Collections.singletonList(null))), null));
        }
        return dns.mx(domain).compose(mx -> {
            if (MxOrder.isNullMx(mx)) {
                return unroutable(Kind.NULL_MX, domain, null);
            }
            List<String> hosts = MxOrder.hosts(mx, random);
            if (!hosts.isEmpty()) {
                return Future.succeededFuture(new Plan(hosts.stream().map(h -> new Destination(h, port, Via.MX, null)).toList(), null));
            }
            return dns.addresses(domain).compose(ips -> ips.isEmpty() ? unroutable(Kind.NO_ADDRESS, domain, null)
                    : Future.succeededFuture(new Plan(List.of(new Destination(domain, port, Via.A, ips)), null)));
        }).recover(t -> t instanceof DnsResolver.NoSuchDomain ? unroutable(Kind.NO_SUCH_DOMAIN, domain, null)
                : unroutable(Kind.DNS_FAILURE, domain, ErrorChain.describe(t)));
    }

    /**
     * The addresses of a destination, or the one failure that says why there are none: the look-up
     * answered without an address, or the look-up itself failed (a timeout, SERVFAIL).
     */
    public Future<Addresses> addresses(Destination d) {
        if (d.known() != null) {
            return Future.succeededFuture(new Addresses(d.known(), null));
        }
        return dns.addresses(d.host()).map(ips -> ips.isEmpty()
                        ? new Addresses(List.of(), SessionFailure.of(Kind.MX_HOST_NO_ADDRESS, Stage.CONNECT, d.host(), null))
                        : new Addresses(ips, null))
                .recover(t -> Future.succeededFuture(new Addresses(List.of(),
                        SessionFailure.of(Kind.DNS_FAILURE, Stage.CONNECT, d.host(), ErrorChain.describe(t)))));
    }

    private static Future<Plan> unroutable(Kind kind, String domain, String detail) {
        return Future.succeededFuture(new Plan(List.of(), SessionFailure.of(kind, Stage.CONNECT, domain, detail)));
    }
}
