package io.postway.router.it;

import io.postway.web.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** Test-only: a resource that fails unexpectedly, to see the one 500 answer. */
@Path("/v1/test-only/failure")
@RolesAllowed(Roles.ADMIN)
public class FailingTestEndpoint {

    static final String SECRET_TEXT = "internal detail that must not reach the client";

    @GET
    public String fail() {
        throw new IllegalStateException(SECRET_TEXT);
    }
}
