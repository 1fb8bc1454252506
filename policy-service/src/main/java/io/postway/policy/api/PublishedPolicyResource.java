package io.postway.policy.api;

import io.postway.policy.PolicyService;
import io.postway.policy.domain.PolicyRule;
import io.postway.web.Roles;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import java.util.List;

/**
 * {@code /internal/v1/published-policies}: the values of {@code mail.policy-changes} for every
 * existing rule (passwords only encrypted) — the router's fallback when it cannot read the topic.
 */
@Path("/internal/v1/published-policies")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed(Roles.ADMIN)
@SecurityRequirement(name = "adminKey")
public class PublishedPolicyResource {

    @Inject
    PolicyService service;

    @GET
    @Operation(summary = "Current committed value of every rule, in the topic's form")
    public List<PolicyRule> published() {
        return service.list();
    }
}
