package io.postway.intake.domain;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AddressesTest {

    @Test
    void acceptsADisplayNameAndAnIdnDomainAsALabel() {
        assertEquals("it@xn--mller-kva.example", Addresses.mailbox("Contoso IT <it@xn--mller-kva.example>", "from").getAddress());
    }

    @Test
    void theEnvelopeDomainIsTheContractsCanonicalFormAndTheLocalPartStaysAsWritten() {
        assertEquals("Jo.Smith@xn--bcher-kva.example",
                Addresses.envelopeAddress(Addresses.mailbox("Jo <Jo.Smith@B\u00fccher.Example>", "to[0]")));
        assertEquals("it@fabrikam.com", Addresses.envelopeAddress(Addresses.mailbox("it@FABRIKAM.com", "from")));
    }

    @Test
    void aDomainThatIsNoMailDomainIsRefusedWithTheContractsReason() {
        SubmissionRefused literal = assertThrows(SubmissionRefused.class, () -> Addresses.mailbox("u@[192.0.2.1]", "to[0]"));
        assertEquals("to[0]: domain literals ([address]) are not accepted", literal.getMessage());
        SubmissionRefused numeric = assertThrows(SubmissionRefused.class, () -> Addresses.mailbox("u@192.0.2.1", "to[0]"));
        assertEquals("to[0]: the domain must not end in a numeric label", numeric.getMessage());
        SubmissionRefused single = assertThrows(SubmissionRefused.class, () -> Addresses.mailbox("u@localhost", "to[0]"));
        assertEquals("to[0]: the domain must be a fully qualified host name", single.getMessage());
        assertEquals("to[0]", single.errors().get(0).field());
    }

    @Test
    void explainsAnUnparsableAddressWithoutTheParsersGrammar() {
        SubmissionRefused refused = assertThrows(SubmissionRefused.class, () -> Addresses.mailbox("bad address", "to[0]"));
        String message = refused.getMessage();
        assertTrue(message.contains("expected local@domain or Name <local@domain>, found the end at character 11"), message);
        assertTrue(!message.contains("Was expecting"), message);
    }
}
