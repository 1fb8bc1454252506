package io.postway.router.api;

import io.postway.contract.policy.Domains;
import io.postway.router.RouterService;
import io.postway.router.domain.QueueEntry;
import io.postway.router.domain.RouterDiagnoses;
import io.postway.router.infra.DeferredQueueRepository;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The deferred queue for administrators (deploy/docs/contract.md, "Queue"). */
@Path("/v1/queue")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@SecurityScheme(securitySchemeName = "adminKey", type = SecuritySchemeType.HTTP, scheme = "bearer")
@SecurityRequirement(name = "adminKey")
public class QueueResource {

    @Inject
    RouterService service;

    public record DomainSummary(String domain, long entries, long recipients, Instant oldestSubmittedAt,
                                long oldestAgeSeconds, Instant nextAttemptAt) {
    }

    public record QueueSummary(List<DomainSummary> domains, long entries, long recipients) {
    }

    public record Entry(String messageId, List<String> recipients, int attempts, Instant nextAttemptAt,
                        String lastDiagnosis, Instant submittedAt, Instant deferredAt, String policyRule,
                        Long policyVersion) {
    }

    public record DomainEntries(String domain, List<Entry> entries) {
    }

    public record FlushResult(String domain, int flushed) {
    }

    public record DeleteResult(String messageId, int bounced) {
    }

    @GET
    @Operation(summary = "Counts and oldest entry per domain; with ?domain= the entries of that domain")
    public Response list(@QueryParam("domain") String domain) throws Exception {
        if (domain != null) {
            String d = normalized(domain);
            if (d == null) {
                return invalidDomain(domain);
            }
            List<Entry> entries = service.queue().entries(d).stream().map(QueueResource::entry).toList();
            return Response.ok(new DomainEntries(d, entries)).build();
        }
        Instant now = Instant.now();
        List<DomainSummary> domains = service.queue().summary().stream()
                .map(s -> new DomainSummary(s.domain(), s.entries(), s.recipients(), s.oldestSubmittedAt(),
                        Duration.between(s.oldestSubmittedAt(), now).toSeconds(), s.nextAttemptAt()))
                .toList();
        return Response.ok(new QueueSummary(domains, domains.stream().mapToLong(DomainSummary::entries).sum(),
                domains.stream().mapToLong(DomainSummary::recipients).sum())).build();
    }

    @POST
    @Path("/flush")
    @Operation(summary = "Make a domain's entries due now (like postqueue -s); they are routed within a second")
    public Response flush(@QueryParam("domain") String domain) throws Exception {
        if (domain == null || domain.isBlank()) {
            return Problem.validation("Name the domain to flush.", List.of(new Problem.FieldError("domain", "is required")));
        }
        String d = normalized(domain);
        if (d == null) {
            return invalidDomain(domain);
        }
        int n = service.queue().flush(d, Instant.now());
        return Response.ok(new FlushResult(d, n)).build();
    }

    @DELETE
    @Path("/{messageId}")
    @Operation(summary = "Give up on a message now: its waiting recipients end as bounced, \"deleted by admin\"")
    public Response delete(@PathParam("messageId") String messageId) throws Exception {
        List<DeferredQueueRepository.Decided> bounced = service.queue().claimMessage(messageId,
                entry -> service.router().bounceQueued(entry, RouterDiagnoses.DELETED_BY_ADMIN));
        if (bounced.isEmpty()) {
            return Problem.response(404, "Not Found", "No recipients of message " + messageId + " wait in the queue.");
        }
        return Response.ok(new DeleteResult(messageId,
                bounced.stream().mapToInt(d -> d.entry().recipients().size()).sum())).build();
    }

    private static String normalized(String domain) {
        return Domains.normalize(domain).orElse(null);
    }

    private static Response invalidDomain(String domain) {
        return Problem.validation("'" + domain + "' is not a domain name.",
                List.of(new Problem.FieldError("domain", "is not a valid domain name")));
    }

    private static Entry entry(QueueEntry e) {
        return new Entry(e.messageId(), e.recipients(), e.attempt(), e.nextAttemptAt(), e.lastDiagnosis(),
                e.submittedAt(), e.deferredAt(), e.policyRule(), e.policyVersion());
    }
}
