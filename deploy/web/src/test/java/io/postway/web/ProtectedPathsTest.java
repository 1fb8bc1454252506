package io.postway.web;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProtectedPathsTest {

    @Test
    void coversV1AndInternalButNotQOrLookalikes() {
        assertTrue(ProtectedPaths.covers("/v1/messages"));
        assertTrue(ProtectedPaths.covers("/v1"));
        assertTrue(ProtectedPaths.covers("/internal/v1/published-policies"));
        assertFalse(ProtectedPaths.covers("/q/health/ready"));
        assertFalse(ProtectedPaths.covers("/v10/x"));
        assertFalse(ProtectedPaths.covers("/internals"));
        assertFalse(ProtectedPaths.covers(null));
    }
}
