package io.postway.intake.domain;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
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

    /** The same bytes, or the same refusal, as the two-loop version of sessions 1–7 (kept below as the reference). */
    @Property(tries = 3000)
    void answersAsTheReferenceDoes(@ForAll @StringLength(max = 200) @CharRange(from = '\t', to = '\r') @CharRange(from = '.', to = '.')
                                   @CharRange(from = 'a', to = 'b') @CharRange(from = '\u00e4', to = '\u00e4') String s) {
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        String expected;
        try {
            expected = new String(reference(in, "text"), StandardCharsets.ISO_8859_1);
        } catch (SubmissionRefused e) {
            SubmissionRefused actual = assertThrows(SubmissionRefused.class, () -> LineEndings.toCrlf(in, "text"));
            assertEquals(e.getMessage(), actual.getMessage());
            assertEquals(e.errors(), actual.errors());
            return;
        }
        assertEquals(expected, new String(LineEndings.toCrlf(in, "text"), StandardCharsets.ISO_8859_1));
    }

    @Test
    void aLargeUnixTextIsRepairedLineByLine() {
        String text = "a line of text, with a tab\there and an umlaut \u00e4\n".repeat(3000) + "no final line break";
        byte[] in = text.getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8), LineEndings.toCrlf(in, "text"));
        byte[] crlf = text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        assertSame(crlf, LineEndings.toCrlf(crlf, "text"), "CRLF content is returned as it is");
    }

    private static byte[] reference(byte[] content, String field) {
        boolean sawCrlf = false;
        boolean sawBareLf = false;
        int bareLfs = 0;
        for (int i = 0; i < content.length; i++) {
            byte b = content[i];
            if (b == '\r') {
                if (i + 1 < content.length && content[i + 1] == '\n') {
                    sawCrlf = true;
                    i++;
                } else {
                    throw SubmissionRefused.invalid(field, "contains a bare CR (carriage return not followed by LF) at byte " + i);
                }
            } else if (b == '\n') {
                sawBareLf = true;
                bareLfs++;
            }
            if (sawCrlf && sawBareLf) {
                throw SubmissionRefused.invalid(field, "mixes CRLF and bare LF line endings (near byte " + i + ")");
            }
        }
        if (!sawBareLf) {
            return content;
        }
        byte[] out = new byte[content.length + bareLfs];
        int o = 0;
        for (byte b : content) {
            if (b == '\n') {
                out[o++] = '\r';
            }
            out[o++] = b;
        }
        return out;
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
