package io.postway.web;

import java.net.URI;

/**
 * Every problem type a Postway REST API answers with: THE one list of slugs. The type URI is
 * {@code https://postway.io/problems/<slug>}; the title and status are the type's defaults. Generic
 * types first, then the specific ones a service uses where clients already see them.
 */
public enum ProblemType {

    VALIDATION("validation", "Invalid request", 400),
    UNAUTHORIZED("unauthorized", "Unauthorized", 401),
    FORBIDDEN("forbidden", "Forbidden", 403),
    NOT_FOUND("not-found", "Not found", 404),
    METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed", 405),
    NOT_ACCEPTABLE("not-acceptable", "Not acceptable", 406),
    CONFLICT("conflict", "Conflict", 409),
    VERSION_MISMATCH("version-mismatch", "Precondition failed", 412),
    TOO_LARGE("too-large", "Request too large", 413),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type", 415),
    /** Any other 4xx the framework answers (the problem keeps that status). */
    REFUSED("refused", "Request refused", 400),
    INTERNAL("internal", "Internal error", 500),
    /** A dependency the request needs is down: always with Retry-After (see {@link ServiceUnavailable}). */
    UNAVAILABLE("unavailable", "Service unavailable", 503),

    // intake-service
    INVALID_MESSAGE("invalid-message", "Invalid message", 400),
    SENDER_DOMAIN_NOT_ALLOWED("sender-domain-not-allowed", "Sender domain not allowed", 403),
    REQUEST_IN_PROGRESS("request-in-progress", "Request in progress", 409),
    MESSAGE_TOO_LARGE("message-too-large", "Message too large", 413),

    // policy-service
    INVALID_POLICY("invalid-policy", "Invalid policy", 400);

    public static final String BASE = "https://postway.io/problems/";

    private final String slug;
    private final String title;
    private final int status;

    ProblemType(String slug, String title, int status) {
        this.slug = slug;
        this.title = title;
        this.status = status;
    }

    public String slug() {
        return slug;
    }

    public URI uri() {
        return URI.create(BASE + slug);
    }

    public String title() {
        return title;
    }

    public int status() {
        return status;
    }

    /** The generic type of an HTTP status the framework answers with (no service-specific type). */
    public static ProblemType forStatus(int status) {
        return switch (status) {
            case 400 -> VALIDATION;
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 409 -> CONFLICT;
            case 412 -> VERSION_MISMATCH;
            case 413 -> TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 503 -> UNAVAILABLE;
            default -> status >= 400 && status < 500 ? REFUSED : INTERNAL;
        };
    }
}
