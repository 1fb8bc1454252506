package io.postway.router.it;

import io.postway.web.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;

/** Test-only: a resource that fails unexpectedly and one that reads JSON, to see the web layer's answers. */
@Path("/v1/test-only")
@RolesAllowed(Roles.ADMIN)
public class TestOnlyResource {

    static final String SECRET_TEXT = "internal detail that must not reach the client";

    public record Counted(int count) {
    }

    @GET
    @Path("/failure")
    public String fail() {
        throw new IllegalStateException(SECRET_TEXT);
    }

    @POST
    @Path("/echo")
    @Consumes(MediaType.APPLICATION_JSON)
    public int echo(Counted body) {
        return body.count();
    }
}
