package io.postway.router.api;

import io.postway.router.QueueAdmin;
import io.postway.router.RouterService;
import io.postway.router.domain.QueueEntry;
import io.postway.web.Problem;
import io.postway.web.ProblemException;
import io.postway.web.ProblemType;
import io.postway.web.Roles;
import io.postway.web.ServiceUnavailable;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

import java.time.Instant;
import java.util.List;

/**
 * The deferred queue for administrators (deploy/docs/contract.md, "Queue"): HTTP over
 * {@link QueueAdmin}, which decides; here only parameters, answers and refusals are mapped.
 */
@Path("/v1/queue")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed(Roles.ADMIN)
@SecurityScheme(securitySchemeName = "adminKey", type = SecuritySchemeType.HTTP, scheme = "bearer")
@SecurityRequirement(name = "adminKey")
public class QueueResource {

    @Inject
    RouterService service;

    /** An entry as the API shows it: no content, the number of attempts made. */
    public record Entry(String messageId, List<String> recipients, int attempts, Instant nextAttemptAt,
                        String lastDiagnosis, Instant submittedAt, Instant deferredAt, String policyRule,
                        Long policyVersion) {
    }

    public record DomainEntries(String domain, List<Entry> entries) {
    }

    @GET
    @Operation(summary = "Counts and oldest entry per domain; with ?domain= the entries of that domain")
    public Object list(@QueryParam("domain") String domain) throws Exception {
        if (domain == null) {
            return admin().summary();
        }
        try {
            QueueAdmin.DomainEntries found = admin().entries(domain);
            return new DomainEntries(found.domain(), found.entries().stream().map(QueueResource::entry).toList());
        } catch (QueueAdmin.NotADomain e) {
            throw invalidDomain(e);
        }
    }

    @POST
    @Path("/flush")
    @Operation(summary = "Make a domain's entries due now (like postqueue -s); they are routed within a second")
    public QueueAdmin.Flushed flush(@QueryParam("domain") String domain) throws Exception {
        if (domain == null || domain.isBlank()) {
            throw new ProblemException(Problem.of(ProblemType.VALIDATION, "Name the domain to flush.")
                    .withErrors(List.of(new Problem.FieldError("domain", "is required"))));
        }
        try {
            return admin().flush(domain);
        } catch (QueueAdmin.NotADomain e) {
            throw invalidDomain(e);
        }
    }

    @DELETE
    @Path("/{messageId}")
    @Operation(summary = "Give up on a message now: its waiting recipients end as bounced, \"deleted by admin\"")
    public QueueAdmin.Bounced delete(@PathParam("messageId") String messageId) throws Exception {
        try {
            return admin().delete(messageId);
        } catch (QueueAdmin.NothingWaiting e) {
            throw new ProblemException(Problem.of(ProblemType.NOT_FOUND, e.getMessage()));
        } catch (QueueAdmin.PoliciesNotLoaded e) {
            throw new ServiceUnavailable(e.getMessage());
        }
    }

    private QueueAdmin admin() {
        return service.queueAdmin();
    }

    private static ProblemException invalidDomain(QueueAdmin.NotADomain e) {
        return new ProblemException(Problem.of(ProblemType.VALIDATION, e.getMessage())
                .withErrors(List.of(new Problem.FieldError("domain", "is not a valid domain name"))));
    }

    private static Entry entry(QueueEntry e) {
        return new Entry(e.messageId(), e.recipients(), e.attempt(), e.nextAttemptAt(), e.lastDiagnosis(),
                e.submittedAt(), e.deferredAt(), e.policyRule(), e.policyVersion());
    }
}
