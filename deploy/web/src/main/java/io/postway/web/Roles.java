package io.postway.web;

/** The roles a bearer key can have: use them in {@code @RolesAllowed}. */
public final class Roles {

    /** Administers: policy API and policy's /internal, router's queue API. */
    public static final String ADMIN = "admin";

    /** Submits mail: intake's /v1/messages. */
    public static final String CLIENT = "client";

    private Roles() {
    }
}
