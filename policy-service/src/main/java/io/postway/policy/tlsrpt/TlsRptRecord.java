package io.postway.policy.tlsrpt;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A domain's {@code _smtp._tls} TXT record (RFC 8460 §3): {@code v=TLSRPTv1; rua=<uri>[,<uri>…]}.
 * Exactly one record must start with {@code v=TLSRPTv1} (none, or several, mean no reporting); the
 * {@code rua} URIs are {@code mailto:} or {@code https:}; other fields are extensions and ignored.
 *
 * @param rua     the destinations, in the record's order (empty when {@code problem} says why)
 * @param problem null, or why the domain gets no report
 */
public record TlsRptRecord(List<String> rua, String problem) {

    static final String VERSION = "v=TLSRPTv1";

    /** @param txts the TXT records at {@code _smtp._tls.<domain>}, each one's strings already concatenated */
    public static TlsRptRecord parse(List<String> txts) {
        List<String> ours = txts.stream().filter(t -> t.startsWith(VERSION) && versionEnds(t)).toList();
        if (ours.isEmpty()) {
            return new TlsRptRecord(List.of(), "no " + VERSION + " record");
        }
        if (ours.size() > 1) {
            return new TlsRptRecord(List.of(), ours.size() + " " + VERSION + " records (RFC 8460 §3: then none is used)");
        }
        for (String field : ours.get(0).split(";")) {
            String f = field.strip();
            if (f.startsWith("rua=")) {
                List<String> uris = Arrays.stream(f.substring(4).split(",")).map(String::strip).filter(u -> !u.isEmpty()).toList();
                List<String> usable = uris.stream().filter(TlsRptRecord::supported).toList();
                if (usable.isEmpty()) {
                    return new TlsRptRecord(List.of(), "no mailto: or https: URI in rua=" + f.substring(4));
                }
                return new TlsRptRecord(usable, null);
            }
        }
        return new TlsRptRecord(List.of(), "the record has no rua= field");
    }

    private static boolean versionEnds(String txt) {
        String rest = txt.substring(VERSION.length());
        return rest.isEmpty() || rest.charAt(0) == ';' || Character.isWhitespace(rest.charAt(0));
    }

    private static boolean supported(String uri) {
        String lower = uri.toLowerCase(Locale.ROOT);
        return lower.startsWith("mailto:") && uri.length() > 7 || lower.startsWith("https://");
    }
}
