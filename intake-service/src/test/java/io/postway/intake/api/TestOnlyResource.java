package io.postway.intake.api;

import io.postway.web.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** Test-only: a resource that fails unexpectedly, and one only an admin may reach (the intake has no admin key). */
@Path("/v1/test-only")
public class TestOnlyResource {

    static final String SECRET_TEXT = "internal detail that must not reach the client";

    @GET
    @Path("/failure")
    @RolesAllowed(Roles.CLIENT)
    public String fail() {
        throw new IllegalStateException(SECRET_TEXT);
    }

    @GET
    @Path("/admin")
    @RolesAllowed(Roles.ADMIN)
    public String adminOnly() {
        return "admin";
    }
}
