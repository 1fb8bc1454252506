package io.postway.policy.api;

import io.postway.policy.PolicyService;
import io.postway.web.Roles;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/** {@code /v1/effective-policy/{domain}}: what applies to mail for a domain, and why. */
@Path("/v1/effective-policy")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed(Roles.ADMIN)
@SecurityRequirement(name = "adminKey")
public class EffectivePolicyResource {

    @Inject
    PolicyService service;

    @GET
    @Path("/{domain}")
    @Operation(summary = "The merged policy for a domain, the rule that matched and the source rule of each field")
    public PolicyView.Effective effective(@PathParam("domain") String domain) {
        return PolicyView.Effective.of(service.effective(domain));
    }
}
