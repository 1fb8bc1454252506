package io.postway.policy.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.postway.contract.json.ContractJson;
import io.postway.policy.ProbeService;
import io.postway.policy.infra.ProbeRepository.ProbeRow;
import io.postway.web.Problem;
import io.postway.web.ProblemException;
import io.postway.web.ProblemType;
import io.postway.web.Roles;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

/** {@code /v1/probes}: what a domain's servers would say to a delivery, before any mail is sent. */
@Path("/v1/probes")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed(Roles.ADMIN)
@SecurityRequirement(name = "adminKey")
public class ProbeResource {

    @Inject
    ProbeService probes;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Probe a domain's servers as delivery would reach them (no mail is sent); 202, then GET the Location")
    public Response probe(String body) {
        String domain = domainOf(body);
        ProbeRow row = probes.request(domain, ProbeService.REQUESTED_BY_ADMIN);
        return Response.accepted(ProbeView.of(row, null))
                .location(UriBuilder.fromPath("/v1/probes/{id}").build(row.id().toString())).build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One probe: RUNNING, then DONE (facts per host and the advice) or FAILED (why)")
    public ProbeView get(@PathParam("id") String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.of(ProblemType.NOT_FOUND, "no probe " + id));
        }
        ProbeRow row = probes.get(uuid);
        return ProbeView.of(row, row.result() == null ? null : probes.context(row.domain()));
    }

    @GET
    @Operation(summary = "The probes of a domain, newest first")
    public List<ProbeView> list(@QueryParam("domain") String domain, @QueryParam("limit") @DefaultValue("20") int limit) {
        if (domain == null || domain.isBlank()) {
            throw invalid("domain", "is required: GET /v1/probes?domain=fabrikam.com");
        }
        if (limit < 1 || limit > 200) {
            throw invalid("limit", "must be 1 to 200");
        }
        List<ProbeRow> rows = probes.list(domain, limit);
        ProbeService.Context now = rows.stream().anyMatch(r -> r.result() != null) ? probes.context(rows.get(0).domain()) : null;
        return rows.stream().map(r -> ProbeView.of(r, now)).toList();
    }

    /** {@code {"domain": "..."}} and nothing else: where to connect is delivery's decision, never the caller's. */
    private static String domainOf(String body) {
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : ContractJson.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw invalid("body", "not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw invalid("body", "must be a JSON object {\"domain\": \"fabrikam.com\"}");
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!name.equals("domain")) {
                errors.add(new Problem.FieldError(name, "unknown field: a probe goes only where delivery would deliver the domain's mail"));
            }
        }
        JsonNode d = root.get("domain");
        if (d == null || !d.isTextual() || d.asText().isBlank()) {
            errors.add(new Problem.FieldError("domain", "is required, a mail domain such as fabrikam.com"));
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.of(ProblemType.VALIDATION, "The probe request is not valid").withErrors(errors));
        }
        return d.asText();
    }

    private static ProblemException invalid(String field, String message) {
        return new ProblemException(Problem.of(ProblemType.VALIDATION, field + " " + message)
                .withErrors(List.of(new Problem.FieldError(field, message))));
    }
}
