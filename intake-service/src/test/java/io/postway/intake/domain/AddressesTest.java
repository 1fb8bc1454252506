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
    void explainsAnUnparsableAddressWithoutTheParsersGrammar() {
        SubmissionRefused refused = assertThrows(SubmissionRefused.class, () -> Addresses.mailbox("bad address", "to[0]"));
        String message = refused.getMessage();
        assertTrue(message.contains("expected local@domain or Name <local@domain>, found the end at character 11"), message);
        assertTrue(!message.contains("Was expecting"), message);
    }
}
