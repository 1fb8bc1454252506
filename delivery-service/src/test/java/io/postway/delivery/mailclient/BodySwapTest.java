package io.postway.delivery.mailclient;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BodySwapTest {

    private static OutgoingMessage message(String body) {
        return OutgoingMessage.of("a@example.org", List.of("b@example.net"),
                ("Subject: s\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void eachSendsStandInNamesItsOwnBody() {
        BodySwap swap = new BodySwap();
        OutgoingMessage first = message("one\r\n");
        OutgoingMessage second = message(".two\r\n");
        String a = swap.register(first);
        String b = swap.register(second);
        assertNotEquals(a, b);
        assertTrue(a.startsWith(BodySwap.STAND_IN) && a.length() < 100, a);

        assertArrayEquals(second.data().getBytes(), swap.bodyFor(b + "\r\n").getBytes());
        assertArrayEquals(first.data().getBytes(), swap.bodyFor(a + "\r\n").getBytes());
        // until its send is over a stand-in keeps naming its own body, then nothing
        assertArrayEquals(first.data().getBytes(), swap.bodyFor(a + "\r\n").getBytes());
        swap.done(a);
        assertThrows(IllegalStateException.class, () -> swap.bodyFor(a + "\r\n"));
        assertArrayEquals(second.data().getBytes(), swap.bodyFor(b + "\r\n").getBytes());
    }

    @Test
    void aStandInOfASendThatIsOverIsAnErrorNotData() {
        BodySwap swap = new BodySwap();
        String standIn = swap.register(message("body\r\n"));
        swap.done(standIn);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> swap.bodyFor(standIn + "\r\n"));
        assertTrue(e.getMessage().contains(standIn), e.getMessage());
    }

    @Test
    void otherLinesAreNotSwapped() {
        BodySwap swap = new BodySwap();
        swap.register(message("body\r\n"));
        assertNull(swap.bodyFor("Subject: s\r\n\r\n"));
        assertNull(swap.bodyFor("QUIT\r\n"));
    }

    @Test
    void mailFromDeclaresTheCurrentMessagesRealSize() {
        BodySwap swap = new BodySwap();
        OutgoingMessage message = message("x".repeat(500) + "\r\n");
        String standIn = swap.register(message);
        assertEquals(14 + 502, message.size());

        assertEquals("MAIL FROM:<a@example.org> SIZE=516\r\nRCPT TO:<b@example.net>\r\nDATA\r\n",
                swap.declaringRealSize("MAIL FROM:<a@example.org> SIZE=51\r\nRCPT TO:<b@example.net>\r\nDATA\r\n"));
        assertEquals("MAIL FROM:<> SIZE=516\r\n", swap.declaringRealSize("MAIL FROM:<> SIZE=51\r\n"));
        // no SIZE announced, no SIZE declared; other commands untouched
        assertEquals("MAIL FROM:<a@example.org>\r\n", swap.declaringRealSize("MAIL FROM:<a@example.org>\r\n"));
        assertEquals("RCPT TO:<x SIZE=1@example.net>\r\n", swap.declaringRealSize("RCPT TO:<x SIZE=1@example.net>\r\n"));

        swap.done(standIn);
        assertEquals("MAIL FROM:<a@example.org> SIZE=51\r\n", swap.declaringRealSize("MAIL FROM:<a@example.org> SIZE=51\r\n"));
    }
}
