package io.postway.policy.api;

import io.postway.policy.domain.FieldError;
import io.postway.policy.domain.PolicyException;
import io.postway.policy.domain.PolicyException.DefaultBreaksDomains;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Each refusal of the domain reads as the problem response this API has always given for it. */
class PolicyExceptionMapperTest {

    static void assertProblem(ProblemException p, int status, String title, String detail) {
        assertEquals(status, p.status());
        assertEquals(title, p.title());
        assertEquals(detail, p.getMessage());
    }

    @Test
    void anInvalidPolicyIs400WithEveryFieldError() {
        List<FieldError> errors = List.of(new FieldError("tls.mode", "must be one of [DISABLED, OPPORTUNISTIC, REQUIRED]"),
                new FieldError("route.port", "must be between 1 and 65535"));
        ProblemException p = PolicyExceptionMapper.problemOf(new PolicyException.InvalidPolicy(errors));
        assertProblem(p, 400, "Invalid policy",
                "tls.mode: must be one of [DISABLED, OPPORTUNISTIC, REQUIRED]; route.port: must be between 1 and 65535");
        assertEquals(errors, p.errors());
        assertNull(p.conflicts());
        assertNull(p.currentVersion());
    }

    @Test
    void anUnknownRuleIs404() {
        ProblemException p = PolicyExceptionMapper.problemOf(new PolicyException.RuleNotFound("no rule fabrikam.com"));
        assertProblem(p, 404, "Not found", "no rule fabrikam.com");
        assertNull(p.errors());
    }

    @Test
    void aVersionMismatchIs412WithTheCurrentVersion() {
        ProblemException p = PolicyExceptionMapper.problemOf(new PolicyException.VersionMismatch("rule fabrikam.com is at version 2", 2L));
        assertProblem(p, 412, "Precondition failed", "rule fabrikam.com is at version 2");
        assertEquals(2L, p.currentVersion());
        assertNull(PolicyExceptionMapper.problemOf(new PolicyException.VersionMismatch("rule x does not exist", null)).currentVersion());
    }

    @Test
    void aDefaultThatBreaksDomainsIs409NamingThemAndTheirErrors() {
        List<FieldError> errors = List.of(new FieldError("tls.minVersion", "TLSv1.3 (from rule 'a.example') is above tls.maxVersion TLSv1.2 (from rule 'default')"));
        ProblemException p = PolicyExceptionMapper.problemOf(new DefaultBreaksDomains(List.of(
                new DefaultBreaksDomains.Conflict("a.example", errors), new DefaultBreaksDomains.Conflict("*.b.example", errors))));
        assertProblem(p, 409, "Change of default would invalidate domain rules",
                "This default would make the merged policy of these rules invalid: a.example, *.b.example. Change those rules first.");
        assertEquals(List.of(new ProblemException.Conflict("a.example", errors), new ProblemException.Conflict("*.b.example", errors)),
                p.conflicts());
        assertNull(p.errors());
    }

    @Test
    void deletingTheDefaultIs409() {
        assertProblem(PolicyExceptionMapper.problemOf(new PolicyException.DefaultNotDeletable()), 409, "default cannot be deleted",
                "The default rule holds the server-wide settings every domain falls back to; change it instead");
    }

    @Test
    void aPasswordWithoutKeysIs503() {
        assertProblem(PolicyExceptionMapper.problemOf(new PolicyException.NoSecretKey()), 503, "No secret key configured",
                "POSTWAY_SECRET_KEYS is not set, so a remote-login password cannot be stored encrypted");
    }
}
