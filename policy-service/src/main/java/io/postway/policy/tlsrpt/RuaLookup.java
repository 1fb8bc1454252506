package io.postway.policy.tlsrpt;

import org.xbill.DNS.Lookup;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Looks up {@code _smtp._tls.<domain>} TXT through the configured DNS server (dnsjava keeps a TXT
 * record's strings apart, and RFC 8460 §3 wants them concatenated without spaces). No answer (the
 * name or the type does not exist) means no reporting; a failed look-up is an exception, so the
 * report is built again at the next run rather than never sent.
 */
public final class RuaLookup {

    private final Resolver resolver;

    /** @param dnsServer {@code host:port} (or {@code host}, port 53); empty: the system's resolver */
    public RuaLookup(Optional<String> dnsServer, Duration timeout) {
        try {
            if (dnsServer.isPresent() && !dnsServer.get().isBlank()) {
                String s = dnsServer.get().strip();
                int colon = s.lastIndexOf(':');
                SimpleResolver r = new SimpleResolver(colon > 0 ? s.substring(0, colon) : s);
                if (colon > 0) {
                    r.setPort(Integer.parseInt(s.substring(colon + 1)));
                }
                resolver = r;
            } else {
                resolver = Lookup.getDefaultResolver();
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("DNS server " + dnsServer.get() + ": " + e.getMessage(), e);
        }
        resolver.setTimeout(timeout);
    }

    /** The record of {@code domain}; throws {@link LookupFailed} when DNS did not answer. */
    public TlsRptRecord lookup(String domain) {
        Lookup lookup;
        try {
            lookup = new Lookup(Name.fromString("_smtp._tls." + domain + "."), Type.TXT);
        } catch (TextParseException e) {
            return new TlsRptRecord(List.of(), "not a domain name: " + domain);
        }
        lookup.setResolver(resolver);
        lookup.setCache(null);
        Record[] records = lookup.run();
        return switch (lookup.getResult()) {
            case Lookup.SUCCESSFUL -> {
                List<String> txts = new ArrayList<>();
                for (Record r : records) {
                    if (r instanceof TXTRecord txt) {
                        txts.add(String.join("", txt.getStrings()));
                    }
                }
                yield TlsRptRecord.parse(txts);
            }
            case Lookup.HOST_NOT_FOUND, Lookup.TYPE_NOT_FOUND -> TlsRptRecord.parse(List.of());
            default -> throw new LookupFailed("_smtp._tls." + domain + " TXT: " + lookup.getErrorString());
        };
    }

    /** DNS gave no answer (timeout, SERVFAIL): try again later. */
    public static final class LookupFailed extends RuntimeException {
        LookupFailed(String message) {
            super(message);
        }
    }
}
