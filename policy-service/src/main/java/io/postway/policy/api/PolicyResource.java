package io.postway.policy.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.postway.contract.json.ContractJson;
import io.postway.contract.policy.PolicyRule;
import io.postway.policy.PolicyService;
import io.postway.policy.domain.PolicyException;
import io.postway.policy.domain.PolicyInput;
import io.postway.policy.infra.PolicyRepository;
import io.postway.policy.infra.ProbeRepository;
import io.postway.web.Roles;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@code /v1/policies}: one policy per rule (exact domain, {@code *.} wildcard or {@code default}). */
@Path("/v1/policies")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed(Roles.ADMIN)
@SecurityScheme(securitySchemeName = "adminKey", type = SecuritySchemeType.HTTP, scheme = "bearer")
@SecurityRequirement(name = "adminKey")
public class PolicyResource {

    /** RFC 7396's media type, the one {@code PATCH} takes. */
    public static final String MERGE_PATCH = "application/merge-patch+json";

    /** Optional name of the person behind the admin key, recorded as {@code updatedBy}. */
    public static final String ACTOR_HEADER = "X-Postway-Actor";

    @Inject
    PolicyService service;

    public record HistoryEntry(String rule, long version, String action, Instant at, String by, JsonNode changes) {
    }

    @GET
    @Operation(summary = "All rules, default first, as stored (unset fields null)")
    public List<PolicyView.Rule> list() {
        Map<String, ProbeRepository.ReviewRow> reviews = service.reviews();
        return service.list().stream().map(r -> PolicyView.Rule.of(r, reviews.get(r.rule()))).toList();
    }

    @GET
    @Path("/{rule}")
    @Operation(summary = "One rule as stored; ETag is its version")
    public Response get(@PathParam("rule") String rule) {
        PolicyRule r = service.get(rule);
        return Response.ok(view(r)).tag(etag(r)).build();
    }

    @PUT
    @Path("/{rule}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create or replace a rule; If-Match: \"<version>\" refuses a lost update with 412; ?dryRun=true stores nothing")
    public Response put(@PathParam("rule") String rule, @HeaderParam("If-Match") String ifMatch,
                        @HeaderParam(ACTOR_HEADER) String actor, @QueryParam("dryRun") @DefaultValue("false") boolean dryRun,
                        @RequestBody(description = "The fields this rule sets (others null or absent); auth.password is write-only",
                                content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                        schema = @Schema(implementation = PolicyView.Rule.class))) String body) {
        PolicyInput input = PolicyRequestParser.parse(body, rule);
        if (dryRun) {
            return Response.ok(DryRunView.of(service.dryRun(rule, input, ifMatch))).build();
        }
        PolicyService.PutResult result = service.put(rule, input, ifMatch, actorName(actor));
        PolicyRule r = result.rule();
        Response.ResponseBuilder b = result.created()
                ? Response.created(UriBuilder.fromPath("/v1/policies/{rule}").build(r.rule()))
                : Response.ok();
        return b.entity(view(r)).tag(etag(r)).build();
    }

    @PATCH
    @Path("/{rule}")
    @Consumes(MERGE_PATCH)
    @Operation(summary = "Change some fields of a rule (default too) with a JSON Merge Patch (RFC 7396): null removes a field;"
            + " If-Match honoured; ?dryRun=true stores nothing")
    public Response patch(@PathParam("rule") String rule, @HeaderParam("If-Match") String ifMatch,
                          @HeaderParam(ACTOR_HEADER) String actor, @QueryParam("dryRun") @DefaultValue("false") boolean dryRun,
                          @RequestBody(description = "RFC 7396 merge patch over the rule as GET shows it",
                                  content = @Content(mediaType = MERGE_PATCH)) String body) {
        JsonNode patch;
        try {
            patch = body == null || body.isBlank() ? null : ContractJson.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new PolicyException.InvalidPolicy("body", "not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")");
        }
        if (patch == null || !patch.isObject()) {
            throw new PolicyException.InvalidPolicy("body", "must be a JSON object (a merge patch of the rule)");
        }
        // without If-Match the patch still applies only to the version it was merged over; a concurrent
        // change in between merges again rather than being overwritten
        for (int attempt = 0; ; attempt++) {
            PolicyRule current = service.get(rule);
            String merged = ContractJson.write(JsonMergePatch.apply(ContractJson.MAPPER.valueToTree(view(current)), patch));
            PolicyInput input = PolicyRequestParser.parse(merged, rule);
            String guard = ifMatch != null && !ifMatch.isBlank() ? ifMatch : "\"" + current.version() + "\"";
            try {
                if (dryRun) {
                    return Response.ok(DryRunView.of(service.dryRun(rule, input, guard))).build();
                }
                PolicyRule r = service.put(rule, input, guard, actorName(actor)).rule();
                return Response.ok(view(r)).tag(etag(r)).build();
            } catch (PolicyException.VersionMismatch e) {
                if (guard.equals(ifMatch) || attempt == 3) {
                    throw e;
                }
            }
        }
    }

    @DELETE
    @Path("/{rule}")
    @Operation(summary = "Delete a rule (not default); its domains fall back to the next match")
    public Response delete(@PathParam("rule") String rule, @HeaderParam("If-Match") String ifMatch,
                           @HeaderParam(ACTOR_HEADER) String actor) {
        service.delete(rule, ifMatch, actorName(actor));
        return Response.noContent().build();
    }

    @GET
    @Path("/{rule}/history")
    @Operation(summary = "Who changed what and when, oldest first; passwords appear only as set/changed/removed")
    public List<HistoryEntry> history(@PathParam("rule") String rule) {
        return service.history(rule).stream().map(PolicyResource::entry).toList();
    }

    private static HistoryEntry entry(PolicyRepository.HistoryRow row) {
        try {
            return new HistoryEntry(row.rule(), row.version(), row.action(), row.at(), row.by(),
                    ContractJson.MAPPER.readTree(row.changesJson()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored history is not readable", e);
        }
    }

    private PolicyView.Rule view(PolicyRule r) {
        return PolicyView.Rule.of(r, service.review(r.rule()).orElse(null));
    }

    static EntityTag etag(PolicyRule r) {
        return new EntityTag(Long.toString(r.version()));
    }

    static String actorName(String header) {
        if (header == null || header.isBlank()) {
            return "admin";
        }
        String cleaned = header.replaceAll("[^\\p{Alnum}@._ -]", "").trim();
        return cleaned.isEmpty() ? "admin" : "admin:" + cleaned.substring(0, Math.min(64, cleaned.length()));
    }
}
