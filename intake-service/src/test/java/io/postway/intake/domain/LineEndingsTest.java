package io.postway.intake.domain;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LineEndingsTest {

    @Property
    void whateverIsAcceptedLeavesWithCrlfOnly(@ForAll @StringLength(max = 60) @CharRange(from = '\n', to = '\r') @CharRange(from = '.', to = '.') @CharRange(from = 'a', to = 'b') String s) {
        byte[] in = s.getBytes(StandardCharsets.US_ASCII);
        try {
            assertTrue(LineEndings.isCrlfOnly(LineEndings.toCrlf(in, "content")));
        } catch (SubmissionRefused e) {
            assertTrue(s.contains("\r"), "only input with CR can be refused: " + s);
        }
    }

    @Test
    void repairsUnixLineEndings() {
        assertArrayEquals("a\r\n.\r\nb\r\n".getBytes(), LineEndings.toCrlf("a\n.\nb\n".getBytes(), "content"));
    }

    @Test
    void refusesSmugglingShapes() {
        assertThrows(SubmissionRefused.class, () -> LineEndings.toCrlf("a\r\n.\nb".getBytes(), "content"));
        assertThrows(SubmissionRefused.class, () -> LineEndings.toCrlf("a\r.\rb".getBytes(), "content"));
        assertThrows(SubmissionRefused.class, () -> LineEndings.toCrlf("a\n.\r\nb".getBytes(), "content"));
    }
}
