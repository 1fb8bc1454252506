package io.postway.policy.api;

import io.postway.contract.json.ContractJson;
import io.postway.contract.policy.PolicyRule;
import io.postway.policy.PolicyService;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/**
 * {@code /internal/v1/published-policies}: the values of {@code mail.policy-changes} for every
 * existing rule (passwords only encrypted) — the router's fallback when it cannot read the topic.
 * Written with the contract's mapper, not the REST one, so each element is exactly a topic value.
 */
@Path("/internal/v1/published-policies")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@SecurityRequirement(name = "adminKey")
public class PublishedPolicyResource {

    @Inject
    PolicyService service;

    @GET
    @Operation(summary = "Current committed value of every rule, in the topic's form")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.ARRAY, implementation = PolicyRule.class)))
    public String published() {
        return ContractJson.write(service.list());
    }
}
