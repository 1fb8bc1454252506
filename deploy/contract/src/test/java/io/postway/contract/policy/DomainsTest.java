package io.postway.contract.policy;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DomainsTest {

    @Test
    void canonicalFormIsLowerCaseALabelsWithoutTheRootDot() {
        assertEquals(Optional.of("fabrikam.com"), Domains.normalize("Fabrikam.COM"));
        assertEquals(Optional.of("fabrikam.com"), Domains.normalize(" fabrikam.com. "));
        assertEquals(Optional.of("xn--bcher-kva.example"), Domains.normalize("Bücher.example"));
        assertEquals(Domains.normalize("Bücher.example"), Domains.normalize("XN--BCHER-KVA.example"));
    }

    @Test
    void whatIsNoMailDomainIsRefusedWithAReason() {
        for (String bad : new String[]{"", "localhost", "[192.0.2.1]", "192.0.2.1", "-bad.example", "a..example",
                "under_score.example", "x".repeat(64) + ".example", null}) {
            Domains.Parsed p = Domains.parse(bad, 2);
            assertFalse(p.valid(), String.valueOf(bad));
            assertTrue(p.problem() != null && !p.problem().isBlank(), String.valueOf(bad));
        }
        assertTrue(Domains.parse("[192.0.2.1]", 2).problem().contains("literal"));
    }

    @Test
    void aWildcardSuffixMayBeOneLabel() {
        assertEquals("com", Domains.parse("COM", 1).domain());
        assertFalse(Domains.parse("com", 2).valid());
    }
}
