package io.postway.policy.domain;

import io.postway.contract.policy.SmartHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RuleNameTest {

    @Test
    void storesDomainsLowerCaseWithIdnsAsALabels() {
        assertEquals("fabrikam.com", RuleName.parse("FabriKam.COM").orElseThrow().value());
        assertEquals("xn--bcher-kva.example", RuleName.parse("Bücher.example").orElseThrow().value());
        assertEquals("*.xn--bcher-kva.example", RuleName.parse("*.BÜCHER.example").orElseThrow().value());
        assertEquals(RuleName.Kind.WILDCARD, RuleName.parse("*.fabrikam.com").orElseThrow().kind());
        assertEquals(RuleName.Kind.DEFAULT, RuleName.parse("DEFAULT").orElseThrow().kind());
        assertEquals("fabrikam.com", RuleName.parse("fabrikam.com.").orElseThrow().value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "com", "*", "*.", "**.fabrikam.com", "a*.fabrikam.com", "fab rikam.com", "-fabrikam.com",
            "fabrikam-.com", "fabrikam..com", "user@fabrikam.com", "10.0.0.1", "fabrikam.com:25",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com", "fabrikam_mail.com"})
    void refusesWhatIsNoDomainOrWildcard(String raw) {
        assertTrue(RuleName.parse(raw).isEmpty(), raw);
    }

    @Test
    void smartHostsAreHostAndOptionalPort() {
        assertEquals("relay.contoso.com:587", SmartHost.normalize("Relay.Contoso.com:587").orElseThrow());
        assertEquals("127.0.0.1:2525", SmartHost.normalize("127.0.0.1:2525").orElseThrow());
        assertEquals("[::1]:25", SmartHost.normalize("[::1]:25").orElseThrow());
        assertEquals("relay", SmartHost.normalize("relay").orElseThrow());
        for (String bad : new String[] {"relay:0", "relay:65536", "relay:", "relay:abc", "http://relay", "re lay", "[zz]:25", ":25", "a@b"}) {
            assertTrue(SmartHost.normalize(bad).isEmpty(), bad);
        }
    }

    @Test
    void theLocalDefaultRoutesToTheCatcherUnlessTheVariableIsSetEmpty() {
        assertEquals("127.0.0.1:2525", BuiltInDefault.localSmartHost(null));
        assertEquals(null, BuiltInDefault.localSmartHost(""));
        assertEquals("relay.example.net:25", BuiltInDefault.localSmartHost(" relay.example.net:25 "));
    }
}
