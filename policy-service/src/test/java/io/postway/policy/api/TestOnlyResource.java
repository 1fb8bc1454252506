package io.postway.policy.api;

import io.postway.web.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import java.sql.SQLException;

/** Test-only: resources that fail unexpectedly, or because PostgreSQL is out of reach, to see the one 500 and 503 answers. */
@Path("/v1/test-only")
@RolesAllowed(Roles.ADMIN)
public class TestOnlyResource {

    static final String SECRET_TEXT = "internal detail that must not reach the client";

    @GET
    @Path("/failure")
    public String fail() {
        throw new IllegalStateException(SECRET_TEXT);
    }

    @GET
    @Path("/database-down")
    public String databaseDown() {
        // what PgJDBC throws when no server answers (SQLState 08001), wrapped as the service's transactions wrap it
        throw new IllegalStateException(new SQLException("Connection to 127.0.0.1:1 refused", "08001"));
    }

    @GET
    @Path("/database-refusal")
    public String databaseRefusal() {
        // the database is up and refused a statement: a bug, not an outage
        throw new IllegalStateException(new SQLException("duplicate key value violates unique constraint", "23505"));
    }
}
