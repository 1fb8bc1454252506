package io.postway.policy.api;

import io.postway.policy.domain.FieldError;
import io.postway.policy.domain.PolicyException;
import io.postway.policy.domain.PolicyException.DefaultBreaksDomains;
import io.postway.web.Problem;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each refusal of the domain reads as the problem response this API has always given for it. */
class PolicyExceptionMapperTest {

    static final String TYPES = "https://postway.io/problems/";

    static void assertProblem(Problem p, int status, String title, String detail) {
        assertEquals(status, p.status());
        assertEquals(title, p.title());
        assertEquals(detail, p.detail());
    }

    static List<Problem.FieldError> webErrors(List<FieldError> errors) {
        return errors.stream().map(e -> new Problem.FieldError(e.field(), e.message())).toList();
    }

    @Test
    void anInvalidPolicyIs400WithEveryFieldError() {
        List<FieldError> errors = List.of(new FieldError("tls.mode", "must be one of [DISABLED, OPPORTUNISTIC, REQUIRED]"),
                new FieldError("route.port", "must be between 1 and 65535"));
        Problem p = PolicyExceptionMapper.problemOf(new PolicyException.InvalidPolicy(errors));
        assertProblem(p, 400, "Invalid policy",
                "tls.mode: must be one of [DISABLED, OPPORTUNISTIC, REQUIRED]; route.port: must be between 1 and 65535");
        assertEquals(webErrors(errors), p.errors());
        assertEquals("https://postway.io/problems/invalid-policy", p.type());
        assertNull(p.extensions().get("conflicts"));
        assertNull(p.extensions().get("currentVersion"));
    }

    @Test
    void anUnknownRuleIs404() {
        Problem p = PolicyExceptionMapper.problemOf(new PolicyException.RuleNotFound("no rule fabrikam.com"));
        assertProblem(p, 404, "Not found", "no rule fabrikam.com");
        assertEquals(TYPES + "not-found", p.type());
        assertNull(p.errors());
    }

    @Test
    void aVersionMismatchIs412WithTheCurrentVersion() {
        Problem p = PolicyExceptionMapper.problemOf(new PolicyException.VersionMismatch("rule fabrikam.com is at version 2", 2L));
        assertProblem(p, 412, "Precondition failed", "rule fabrikam.com is at version 2");
        assertEquals(TYPES + "version-mismatch", p.type());
        assertEquals(2L, p.extensions().get("currentVersion"));
        assertNull(PolicyExceptionMapper.problemOf(new PolicyException.VersionMismatch("rule x does not exist", null))
                .extensions().get("currentVersion"));
    }

    @Test
    void aDefaultThatBreaksDomainsIs409NamingThemAndTheirErrors() {
        List<FieldError> errors = List.of(new FieldError("tls.minVersion", "TLSv1.3 (from rule 'a.example') is above tls.maxVersion TLSv1.2 (from rule 'default')"));
        Problem p = PolicyExceptionMapper.problemOf(new DefaultBreaksDomains(List.of(
                new DefaultBreaksDomains.Conflict("a.example", errors), new DefaultBreaksDomains.Conflict("*.b.example", errors))));
        assertProblem(p, 409, "Change of default would invalidate domain rules",
                "This default would make the merged policy of these rules invalid: a.example, *.b.example. Change those rules first.");
        assertEquals(List.of(new DefaultBreaksDomains.Conflict("a.example", errors), new DefaultBreaksDomains.Conflict("*.b.example", errors)),
                p.extensions().get("conflicts"));
        assertEquals(TYPES + "conflict", p.type());
        assertNull(p.errors());
    }

    @Test
    void deletingTheDefaultIs409() {
        Problem p = PolicyExceptionMapper.problemOf(new PolicyException.DefaultNotDeletable());
        assertProblem(p, 409, "default cannot be deleted",
                "The default rule holds the server-wide settings every domain falls back to; change it instead");
        assertEquals(TYPES + "conflict", p.type());
    }

    /**
     * Changed: this was a 503 "No secret key configured". A missing key is a configuration fault that
     * waiting does not repair, so it is a 500 {@code internal} with a fixed detail saying what to set,
     * ending, like every 500's, in the error id that {@code errorId} carries too, and no Retry-After.
     */
    @Test
    void aPasswordWithoutKeysIsAConfigurationFault500WithoutRetryAfter() {
        Problem p = PolicyExceptionMapper.problemOf(new PolicyException.NoSecretKey());
        Object errorId = p.extensions().get("errorId");
        assertNotNull(errorId);
        assertProblem(p, 500, "Internal error", PolicyExceptionMapper.NO_SECRET_KEY_DETAIL + " (error id " + errorId + ")");
        assertEquals(TYPES + "internal", p.type());
        assertTrue(p.detail().contains("Set POSTWAY_SECRET_KEYS"), p.detail());

        Response response = new PolicyExceptionMapper().refused(new PolicyException.NoSecretKey());
        assertEquals(500, response.getStatus());
        assertNull(response.getHeaderString("Retry-After"));
        assertFalse(((Problem) response.getEntity()).detail().contains("is not set, so"), "the detail is not the exception's text");
    }
}
