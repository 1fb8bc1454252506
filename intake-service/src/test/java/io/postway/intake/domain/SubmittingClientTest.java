package io.postway.intake.domain;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SubmittingClientTest {

    @Test
    void senderDomainsAreComparedInTheEnvelopesCanonicalForm() {
        SubmittingClient client = new SubmittingClient("contoso", List.of("B\u00fccher.Example", "contoso.test"));
        assertEquals(List.of("xn--bcher-kva.example", "contoso.test"), client.senderDomains());
        assertDoesNotThrow(() -> client.checkSender(Addresses.envelopeAddress(Addresses.mailbox("it@b\u00fccher.example", "from"))));
        SubmissionRefused refused = assertThrows(SubmissionRefused.class, () -> client.checkSender("it@fabrikam.test"));
        assertEquals(SubmissionRefused.Kind.SENDER_DOMAIN_NOT_ALLOWED, refused.kind());
        assertEquals("from", refused.errors().get(0).field());
    }

    @Test
    void aClientWithoutSenderDomainsMaySendFromAny() {
        assertDoesNotThrow(() -> new SubmittingClient("local", List.of()).checkSender("it@fabrikam.test"));
    }
}
