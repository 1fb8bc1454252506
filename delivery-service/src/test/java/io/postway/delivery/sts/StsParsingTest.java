package io.postway.delivery.sts;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 8461 3.1 (the TXT record) and 3.2 (the policy file), and the mx pattern rule of 4.1. */
class StsParsingTest {

    @Test
    void theTxtRecordGivesItsIdAndAnythingButOneValidRecordIsNoPolicy() {
        assertEquals(Optional.of("20160831085700Z"), StsRecord.id(List.of("v=STSv1; id=20160831085700Z;")));
        assertEquals(Optional.of("abc"), StsRecord.id(List.of("v=spf1 -all", "v=STSv1;id=abc")));
        assertEquals(Optional.empty(), StsRecord.id(List.of("v=STSv1; id=a;", "v=STSv1; id=b;")), "two records");
        assertEquals(Optional.empty(), StsRecord.id(List.of("v=STSv1; id=has-dash;")), "id is alphanumeric");
        assertEquals(Optional.empty(), StsRecord.id(List.of("v=STSv1; id=" + "x".repeat(33) + ";")), "id of at most 32");
        assertEquals(Optional.empty(), StsRecord.id(List.of("v=STSv1;")), "no id");
        assertEquals(Optional.empty(), StsRecord.id(List.of("v=STSv2; id=a;")));
    }

    @Test
    void aPolicyParsesWithCrlfOrLfAndUnknownKeysAreIgnored() throws Exception {
        StsPolicy p = StsPolicy.parse("version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nfoo: bar\r\nmax_age: 604800\r\n");
        assertEquals(StsPolicy.Mode.ENFORCE, p.mode());
        assertEquals(List.of("mail.example.com", "*.example.net"), p.mx());
        assertEquals(604800, p.maxAgeSeconds());
        assertEquals(31_557_600, StsPolicy.parse("version: STSv1\nmode: none\nmax_age: 99999999\n").maxAgeSeconds(), "capped");
    }

    @Test
    void anInvalidPolicySaysWhy() {
        assertTrue(assertThrows(StsPolicy.Invalid.class, () -> StsPolicy.parse("mode: enforce\nmx: a.b\nmax_age: 1\n")).getMessage().contains("version"));
        assertTrue(assertThrows(StsPolicy.Invalid.class, () -> StsPolicy.parse("version: STSv1\nmode: strict\nmx: a.b\nmax_age: 1\n")).getMessage().contains("strict"));
        assertTrue(assertThrows(StsPolicy.Invalid.class, () -> StsPolicy.parse("version: STSv1\nmode: enforce\nmax_age: 1\n")).getMessage().contains("no mx"));
        assertTrue(assertThrows(StsPolicy.Invalid.class, () -> StsPolicy.parse("version: STSv1\nmode: testing\nmx: a.b\n")).getMessage().contains("max_age"));
        assertTrue(assertThrows(StsPolicy.Invalid.class, () -> StsPolicy.parse("<html>hello</html>")).getMessage().contains("key: value"));
    }

    @Test
    void aWildcardMatchesExactlyOneLeftMostLabel() throws Exception {
        StsPolicy p = StsPolicy.parse("version: STSv1\nmode: enforce\nmx: *.example.com\nmx: mail.example.net\nmax_age: 1\n");
        assertTrue(p.matches("mx1.example.com"));
        assertTrue(p.matches("MX1.Example.COM."));
        assertFalse(p.matches("a.b.example.com"), "one label only");
        assertFalse(p.matches("example.com"));
        assertTrue(p.matches("mail.example.net"));
        assertFalse(p.matches("x.mail.example.net"));
    }
}
