package io.postway.policy;

import io.postway.contract.json.ContractJson;
import io.postway.policy.config.PolicyConfig;
import io.postway.policy.infra.TlsReportRepository.DestinationRow;
import io.postway.policy.infra.TlsReportRepository.ReportRow;
import io.postway.policy.infra.TlsReportRepository.SendRow;
import io.postway.policy.infra.Transactions;
import io.postway.policy.messaging.DeliveryEventReader;
import io.postway.policy.tlsrpt.Attempt;
import io.postway.policy.tlsrpt.Attempts;
import io.postway.policy.tlsrpt.Report;
import io.postway.policy.tlsrpt.ReportSender;
import io.postway.policy.tlsrpt.Reports;
import io.postway.policy.tlsrpt.RuaLookup;
import io.postway.policy.tlsrpt.TlsRptRecord;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * TLS-RPT (RFC 8460): records every delivery attempt's TLS result from {@code mail.delivery-events},
 * builds each policy domain's report once per ended UTC day (scheduled, or an admin's run for a
 * date), and sends it to the domain's {@code rua} destinations, retrying a failed send until
 * {@code give-up-after}; a destination acknowledged once is never sent to again.
 */
@ApplicationScoped
public class TlsReportService {

    private static final Logger LOG = Logger.getLogger(TlsReportService.class);

    /** What a run for one day did: the day's reports (built now or before) and the domains left for a later run. */
    public record RunResult(LocalDate date, List<ReportRow> reports, List<Skipped> skipped) {
    }

    public record Skipped(String domain, String reason) {
    }

    /** A report with its destinations and every send attempt. */
    public record StoredReport(ReportRow report, List<DestinationRow> destinations, List<SendRow> sends) {
    }

    @Inject
    Transactions transactions;
    @Inject
    DeliveryEventReader events;
    @Inject
    PolicyConfig config;

    private final Clock clock = Clock.systemUTC();
    private RuaLookup dns;
    private ReportSender sender;
    private Reports.Submitter submitter;
    private ScheduledExecutorService scheduler;

    void onStart(@Observes StartupEvent event) {
        PolicyConfig.TlsReports c = config.tlsReports();
        dns = new RuaLookup(c.dnsServer(), c.dnsTimeout());
        sender = new ReportSender(c.trust(), c.sendTimeout(), c.intakeUrl(), c.intakeKey(), c.mailFrom(), c.submitter());
        submitter = new Reports.Submitter(c.organizationName(), c.submitter(), c.contactInfo(), c.sendingMtaIp().orElse(null));
        if (!c.enabled()) {
            LOG.info("TLS reports are off (postway.policy.tls-reports.enabled=false)");
            return;
        }
        events.start(this::record);
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "policy-tls-reports");
            t.setDaemon(true);
            return t;
        });
        long every = c.checkEvery().toMillis();
        scheduler.scheduleWithFixedDelay(this::scheduledRun, every, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** One polled batch of {@code mail.delivery-events}: every session outcome, in one transaction (throws when not stored). */
    void record(List<byte[]> values) {
        List<Attempt> attempts = new ArrayList<>();
        for (byte[] value : values) {
            try {
                Attempts.read(value).ifPresent(attempts::add);
            } catch (IOException | RuntimeException e) {
                LOG.errorf("skipping an unreadable mail.delivery-events record for the TLS reports: %s", e.getMessage());
            }
        }
        if (!attempts.isEmpty()) {
            int added = transactions.inTransaction(r -> r.tlsReports().insertAttempts(attempts));
            LOG.debugf("TLS reports: %d attempts recorded (%d new)", attempts.size(), added);
        }
    }

    private void scheduledRun() {
        try {
            LocalDate today = LocalDate.now(clock);
            for (int back = config.tlsReports().lookbackDays(); back >= 1; back--) {
                build(today.minusDays(back));
            }
            sendDue();
        } catch (RuntimeException e) {
            LOG.warnf("TLS reports: the scheduled run failed, next at the next check: %s", e.toString());
        }
    }

    /** Builds the reports of {@code day} not built yet, then sends whatever is due. */
    public RunResult run(LocalDate day) {
        List<Skipped> skipped = build(day);
        sendDue();
        List<ReportRow> reports = transactions.inTransaction(r -> r.tlsReports().reports(null, day));
        return new RunResult(day, reports, skipped);
    }

    private List<Skipped> build(LocalDate day) {
        List<Skipped> skipped = new ArrayList<>();
        for (String domain : transactions.inTransaction(r -> r.tlsReports().domainsWithoutReport(day))) {
            TlsRptRecord record;
            try {
                record = dns.lookup(domain);
            } catch (RuaLookup.LookupFailed e) {
                LOG.warnf("TLS report of %s for %s not built yet: %s", domain, day, e.getMessage());
                skipped.add(new Skipped(domain, e.getMessage()));
                continue;
            }
            Instant now = clock.instant();
            transactions.inTransaction(r -> {
                var repo = r.tlsReports();
                Report report = Reports.build(domain, day, repo.attempts(domain, day), submitter);
                boolean created = repo.insertReport(new ReportRow(report.reportId(), domain, day, now, record.rua(), record.problem(),
                        ContractJson.write(report)));
                if (created) {
                    LOG.infof("TLS report %s built: %d policies, destinations %s%s", report.reportId(), report.policies().size(),
                            record.rua(), record.problem() == null ? "" : " (" + record.problem() + ")");
                }
                return created;
            });
        }
        return skipped;
    }

    /** Sends every destination due now, one locked row at a time (a failed one is due again only later). */
    public void sendDue() {
        Instant start = clock.instant();
        while (transactions.inTransaction(r -> {
            var repo = r.tlsReports();
            Optional<DestinationRow> due = repo.claimDue(start);
            if (due.isEmpty()) {
                return false;
            }
            DestinationRow d = due.get();
            ReportRow report = repo.report(d.reportId()).orElseThrow();
            ReportSender.Result result = sender.send(d.uri(), new ReportSender.Outgoing(report.reportId(), report.policyDomain(),
                    Reports.filename(config.tlsReports().submitter(), report.policyDomain(), report.day()),
                    Reports.gzip(report.report())));
            Instant at = clock.instant();
            boolean givesUp = !result.ok() && !at.isBefore(report.createdAt().plus(config.tlsReports().giveUpAfter()));
            String status = result.ok() ? "SENT" : givesUp ? "FAILED" : "PENDING";
            repo.recordSend(d, at, result.ok(), result.detail(), status, result.ok() || givesUp ? at : at.plus(config.tlsReports().retryAfter()));
            if (result.ok()) {
                LOG.infof("TLS report %s sent to %s (%s)", d.reportId(), d.uri(), result.detail());
            } else {
                LOG.warnf("TLS report %s not sent to %s (%s)%s", d.reportId(), d.uri(), result.detail(),
                        givesUp ? ": given up" : ", retried later");
            }
            return true;
        })) {
            // next due destination
        }
    }

    public List<StoredReport> list(String domain, LocalDate day) {
        return transactions.inTransaction(r -> {
            var repo = r.tlsReports();
            return repo.reports(domain, day).stream()
                    .map(rep -> new StoredReport(rep, repo.destinations(rep.reportId()), repo.sends(rep.reportId()))).toList();
        });
    }

    /** Today in UTC: a report is built only for a day that has ended. */
    public LocalDate today() {
        return LocalDate.now(clock);
    }
}
