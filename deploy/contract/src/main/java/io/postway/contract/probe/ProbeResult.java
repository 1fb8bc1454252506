package io.postway.contract.probe;

import java.time.Instant;
import java.util.List;

/**
 * {@code mail.probe-results} (delivery → policy), key = probeId: what delivery found at each host it
 * would deliver to, in the order it would try them. {@code status} is {@code DONE} when the hosts
 * could be listed (each host's own failures are in its entry) and {@code FAILED} when not (a DNS
 * failure, a null MX, no such domain): {@code failure} then says why.
 *
 * <p>{@code mtaSts} and {@code dane} are the domain's published policies (RFC 8461, RFC 7672): this
 * version of delivery does not look them up and writes {@link Check#notChecked()}; the fields are in
 * the record so that a delivery that checks them fills them in without a new record type.
 */
public record ProbeResult(String probeId, String domain, ProbeStatus status, Instant startedAt, Instant finishedAt,
                          String failure, List<HostProbe> hosts, Check mtaSts, Check dane) {

    public ProbeResult {
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
        mtaSts = mtaSts == null ? Check.notChecked() : mtaSts;
        dane = dane == null ? Check.notChecked() : dane;
    }

    /** A published-policy check: {@code NOT_CHECKED} until delivery looks it up. */
    public record Check(String status, String detail) {
        public static final String NOT_CHECKED = "NOT_CHECKED";

        public static Check notChecked() {
            return new Check(NOT_CHECKED, "not checked by this version of delivery-service");
        }
    }
}
