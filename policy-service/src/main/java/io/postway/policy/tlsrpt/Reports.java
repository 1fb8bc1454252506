package io.postway.policy.tlsrpt;

import io.postway.contract.tlsrpt.PolicyType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

/**
 * Builds a policy domain's report for one UTC day from its recorded attempts. One {@code policies[]}
 * entry per distinct policy (type, strings, mx-host); counts are of sessions: the attempts of one
 * message at one attempt number to one MX host with one result are one session (the recipients of a
 * job share its session), so a job of many recipients counts once.
 */
public final class Reports {

    /** Who writes the reports: the report's and the mail's fixed parts. */
    public record Submitter(String organizationName, String submitter, String contactInfo, String sendingMtaIp) {
    }

    private Reports() {
    }

    /** The report-id: one report per domain and day, so the same id every time it is built. */
    public static String reportId(String policyDomain, LocalDate day, String submitter) {
        return day + "." + policyDomain + "@" + submitter;
    }

    public static Instant start(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** RFC 8460's examples end the day at 23:59:59Z. */
    public static Instant end(LocalDate day) {
        return start(day.plusDays(1)).minusSeconds(1);
    }

    /** RFC 8460 §5.1: {@code sender!policy-domain!begin-timestamp!end-timestamp.json.gz} (seconds since the epoch). */
    public static String filename(String submitter, String policyDomain, LocalDate day) {
        return submitter + "!" + policyDomain + "!" + start(day).getEpochSecond() + "!" + end(day).getEpochSecond() + ".json.gz";
    }

    public static Report build(String policyDomain, LocalDate day, List<Attempt> attempts, Submitter who) {
        record PolicyKey(PolicyType type, List<String> strings, List<String> mxHost) {
        }
        record Session(String messageId, int attempt, String mx, String result) {
        }
        record FailureKey(String resultType, String mx, String ip) {
        }
        Map<PolicyKey, List<Attempt>> byPolicy = new LinkedHashMap<>();
        attempts.stream().sorted(Comparator.comparing(Attempt::at).thenComparing(Attempt::eventId))
                .forEach(a -> byPolicy.computeIfAbsent(new PolicyKey(a.policyType(), a.policyStrings(), a.mxHost()),
                        k -> new ArrayList<>()).add(a));
        List<Report.PolicyResult> policies = new ArrayList<>();
        byPolicy.forEach((key, list) -> {
            Map<Session, Attempt> sessions = new LinkedHashMap<>();
            list.forEach(a -> sessions.putIfAbsent(new Session(a.messageId(), a.attempt(), a.receivingMx(),
                    a.result() == null ? null : a.result().wireName()), a));
            long ok = sessions.values().stream().filter(a -> a.result() == null).count();
            Map<FailureKey, List<Attempt>> failures = sessions.values().stream().filter(a -> a.result() != null)
                    .collect(Collectors.groupingBy(a -> new FailureKey(a.result().wireName(), a.receivingMx(), a.receivingIp()),
                            LinkedHashMap::new, Collectors.toList()));
            List<Report.FailureDetail> details = new ArrayList<>();
            failures.forEach((f, as) -> details.add(new Report.FailureDetail(f.resultType(), who.sendingMtaIp(), f.mx(), f.ip(),
                    as.size(), as.stream().map(Attempt::reason).filter(Objects::nonNull).findFirst().orElse(null))));
            var policy = new Report.Policy(key.type().wireName(), key.strings().isEmpty() ? null : key.strings(), policyDomain,
                    key.mxHost().isEmpty() ? null : key.mxHost());
            policies.add(new Report.PolicyResult(policy, new Report.Summary(ok, sessions.size() - ok),
                    details.isEmpty() ? null : details));
        });
        return new Report(who.organizationName(), new Report.DateRange(start(day), end(day)), who.contactInfo(),
                reportId(policyDomain, day, who.submitter()), policies);
    }

    /** The report as sent: its JSON, gzipped ({@code application/tlsrpt+gzip}). */
    public static byte[] gzip(String json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
