package io.postway.web;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BearerKeyIdentityProviderTest {

    final BearerKeyIdentityProvider provider = new BearerKeyIdentityProvider();

    {
        provider.keys = () -> List.of(
                new BearerKeys.BearerKey("admin-key", "admin", Roles.ADMIN),
                new BearerKeys.BearerKey("", "blank", Roles.ADMIN),
                new BearerKeys.BearerKey("client-key", "contoso", Set.of(Roles.CLIENT), Map.of("senderDomains", List.of("contoso.test"))));
    }

    @Test
    void findsTheHolderOfAKnownKey() {
        assertEquals("admin", provider.holderOf("admin-key").orElseThrow().principal());
        assertEquals(Set.of(Roles.CLIENT), provider.holderOf("client-key").orElseThrow().roles());
    }

    @Test
    void refusesUnknownPrefixedAndBlankKeys() {
        assertTrue(provider.holderOf("admin-ke").isEmpty());
        assertTrue(provider.holderOf("admin-key ").isEmpty());
        assertTrue(provider.holderOf("").isEmpty(), "a blank configured key matches nothing");
    }

    @Test
    void neverPrintsTheKey() {
        assertFalse(new BearerKeys.BearerKey("s3cret", "admin", Roles.ADMIN).toString().contains("s3cret"));
    }
}
