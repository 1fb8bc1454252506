package io.postway.router.domain;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecipientDomainsTest {

    @Test
    void groupsRecipientsByCaseInsensitiveDomain() {
        RecipientDomains.Grouping g = RecipientDomains.group(List.of("a@Fabrikam.COM", "b@fabrikam.com", "c@contoso.com"));
        assertEquals(Map.of("fabrikam.com", List.of("a@fabrikam.com", "b@fabrikam.com"), "contoso.com", List.of("c@contoso.com")),
                g.byDomain());
        assertTrue(g.invalid().isEmpty());
    }

    @Test
    void idnDomainsBecomeALabelsAndShareAGroupWithTheirALabelForm() {
        RecipientDomains.Grouping g = RecipientDomains.group(List.of("anna@Bücher.example", "ben@xn--bcher-kva.example"));
        assertEquals(Map.of("xn--bcher-kva.example", List.of("anna@xn--bcher-kva.example", "ben@xn--bcher-kva.example")), g.byDomain());
    }

    @Test
    void keepsTheLocalPartAsGiven() {
        RecipientDomains.Grouping g = RecipientDomains.group(List.of("John.Doe@Fabrikam.com"));
        assertEquals(List.of("John.Doe@fabrikam.com"), g.byDomain().get("fabrikam.com"));
    }

    @Test
    void duplicateAddressesAreOneRecipient() {
        RecipientDomains.Grouping g = RecipientDomains.group(List.of("a@fabrikam.com", "a@FABRIKAM.com"));
        assertEquals(List.of("a@fabrikam.com"), g.byDomain().get("fabrikam.com"));
    }

    @Test
    void addressesWithoutAValidDomainAreInvalid() {
        RecipientDomains.Grouping g = RecipientDomains.group(List.of("nobody", "x@", "y@-bad-.com", "z@[192.0.2.1]",
                "w@localhost", "v@exa mple.com", "ok@fabrikam.com"));
        assertEquals(List.of("fabrikam.com"), List.copyOf(g.byDomain().keySet()));
        assertEquals(6, g.invalid().size());
    }

    @Test
    void trailingDotIsTheSameDomain() {
        assertEquals(List.of("fabrikam.com"), List.copyOf(RecipientDomains.group(List.of("a@fabrikam.com.")).byDomain().keySet()));
    }

    @Property
    void groupingIsIdempotentAndLowerCasesDomains(@ForAll @AlphaChars @StringLength(min = 1, max = 20) String label,
                                                  @ForAll @AlphaChars @StringLength(min = 2, max = 6) String tld) {
        String domain = List.copyOf(RecipientDomains.group(List.of("x@" + label + "." + tld)).byDomain().keySet()).get(0);
        assertEquals(domain.toLowerCase(Locale.ROOT), domain);
        assertEquals(Map.of(domain, List.of("x@" + domain)), RecipientDomains.group(List.of("x@" + domain)).byDomain());
        assertEquals(Map.of(domain, List.of("x@" + domain)),
                RecipientDomains.group(List.of("x@" + domain.toUpperCase(Locale.ROOT))).byDomain());
    }
}
