package io.postway.policy.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.postway.contract.json.ContractJson;
import io.postway.policy.TlsReportService;
import io.postway.policy.TlsReportService.StoredReport;
import io.postway.web.Problem;
import io.postway.web.ProblemException;
import io.postway.web.ProblemType;
import io.postway.web.Roles;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

/** {@code /v1/tls-reports}: the TLS-RPT (RFC 8460) reports built for the policy domains, and a run now. */
@Path("/v1/tls-reports")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed(Roles.ADMIN)
@SecurityRequirement(name = "adminKey")
public class TlsReportResource {

    @Inject
    TlsReportService reports;

    public record RunView(LocalDate date, List<ReportView> reports, List<TlsReportService.Skipped> skipped) {
    }

    public record ReportView(String reportId, String domain, LocalDate date, Instant createdAt, List<String> rua,
                             String ruaProblem, List<DestinationView> destinations, List<SendView> sends, JsonNode report) {
    }

    public record DestinationView(String uri, String status, int attempts, Instant nextAttemptAt, Instant sentAt, String lastError) {
    }

    public record SendView(String uri, Instant at, boolean ok, String detail) {
    }

    @POST
    @Path("/run")
    @Operation(summary = "Build the reports of an ended UTC day (default yesterday) not built yet, and send what is due")
    public RunView run(@QueryParam("date") String date) {
        LocalDate day = date == null || date.isBlank() ? reports.today().minusDays(1) : day(date);
        if (!day.isBefore(reports.today())) {
            throw invalid("date", "must be a day that has ended (UTC): before " + reports.today());
        }
        TlsReportService.RunResult result = reports.run(day);
        List<ReportView> views = reports.list(null, day).stream().map(TlsReportResource::view).toList();
        return new RunView(result.date(), views, result.skipped());
    }

    @GET
    @Operation(summary = "The reports (newest day first), with their destinations, every send attempt and the report JSON")
    public List<ReportView> list(@QueryParam("domain") String domain, @QueryParam("date") String date) {
        return reports.list(domain == null || domain.isBlank() ? null : domain.strip().toLowerCase(java.util.Locale.ROOT),
                date == null || date.isBlank() ? null : day(date)).stream().map(TlsReportResource::view).toList();
    }

    private static ReportView view(StoredReport s) {
        var r = s.report();
        JsonNode json;
        try {
            json = ContractJson.MAPPER.readTree(r.report());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ReportView(r.reportId(), r.policyDomain(), r.day(), r.createdAt(), r.rua(), r.ruaProblem(),
                s.destinations().stream().map(d -> new DestinationView(d.uri(), d.status(), d.attempts(), d.nextAttemptAt(),
                        d.sentAt(), d.lastError())).toList(),
                s.sends().stream().map(x -> new SendView(x.uri(), x.at(), x.ok(), x.detail())).toList(), json);
    }

    private static LocalDate day(String date) {
        try {
            return LocalDate.parse(date);
        } catch (DateTimeParseException e) {
            throw invalid("date", "must be YYYY-MM-DD");
        }
    }

    private static ProblemException invalid(String field, String message) {
        return new ProblemException(Problem.of(ProblemType.VALIDATION, field + " " + message)
                .withErrors(List.of(new Problem.FieldError(field, message))));
    }
}
