package io.postway.contract.policy;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmartHostTest {

    @Test
    void parsesNamesAddressesAndBracketedIpv6WithOrWithoutAPort() {
        assertEquals(new SmartHost("relay.contoso.com", 587), SmartHost.parse("Relay.Contoso.com:587").orElseThrow());
        assertEquals(new SmartHost("127.0.0.1", 2525), SmartHost.parse("127.0.0.1:2525").orElseThrow());
        assertEquals(new SmartHost("::1", 25), SmartHost.parse("[::1]:25").orElseThrow(), "delivery connects to ::1, not to '[::1]:25'");
        assertEquals(new SmartHost("2001:db8::1", null), SmartHost.parse("[2001:DB8::1]").orElseThrow());
        assertEquals(new SmartHost("relay", null), SmartHost.parse("relay").orElseThrow());
    }

    @Test
    void theWrittenPortWinsOverTheRoutePort() {
        assertEquals(587, SmartHost.parse("relay.example:587").orElseThrow().port(25));
        assertEquals(25, SmartHost.parse("[::1]").orElseThrow().port(25));
    }

    @Test
    void theCanonicalFormReadsBackAsItself() {
        for (String raw : new String[]{"Relay.Contoso.com:0587", "[::1]:25", "[2001:DB8::1]", "127.0.0.1", "bücher.example:25"}) {
            String canonical = SmartHost.normalize(raw).orElseThrow();
            assertEquals(Optional.of(canonical), SmartHost.normalize(canonical), raw);
        }
        assertEquals("relay.contoso.com:587", SmartHost.normalize("Relay.Contoso.com:0587").orElseThrow());
        assertEquals("[::1]:25", SmartHost.normalize("[::1]:25").orElseThrow());
        assertEquals("xn--bcher-kva.example:25", SmartHost.normalize("bücher.example:25").orElseThrow());
    }

    @Test
    void refusesWhatIsNoHostAndPort() {
        for (String bad : new String[]{"", " ", "relay:0", "relay:65536", "relay:x", "[192.0.2.1]", "[::1]:", "a b", "relay\n", "-bad-.example", null}) {
            assertTrue(SmartHost.parse(bad).isEmpty(), String.valueOf(bad));
        }
    }
}
