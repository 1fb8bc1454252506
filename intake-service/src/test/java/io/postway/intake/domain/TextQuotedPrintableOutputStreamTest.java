package io.postway.intake.domain;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.apache.james.mime4j.codec.QuotedPrintableOutputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The fast encoder writes exactly what mime4j's {@link QuotedPrintableOutputStream} (text mode)
 * writes, whatever the body and however it is cut into write calls.
 */
class TextQuotedPrintableOutputStreamTest {

    @Property(tries = 2000)
    void writesMime4jsBytes(@ForAll("bodies") byte[] body, @ForAll("cuts") List<Integer> cuts) throws IOException {
        assertEquals(ascii(mime4j(body)), ascii(fast(body, cuts)));
    }

    /** Bodies longer than the encoder's 8 KB buffer: the flushes in the middle of a line. */
    @Property(tries = 100)
    void writesMime4jsBytesPastItsBuffer(@ForAll("longBodies") byte[] body, @ForAll("cuts") List<Integer> cuts) throws IOException {
        assertEquals(ascii(mime4j(body)), ascii(fast(body, cuts)));
    }

    @Test
    void edgeCases() throws IOException {
        String line73 = "x".repeat(73);
        List<String> cases = List.of("", " ", "\t", "\r", "\n", "=", ".", "a.", ".\r\n.", "a \r\nb", "a\t\r\nb", "a  \r\n",
                "a \rb", "a\t\rb", "a\r\rb", "a\r\r\nb", "a\n\nb", " \n", "\t \t\r\n", "end with space ", "end with tab\t",
                "x".repeat(74), "x".repeat(75), "x".repeat(76), "x".repeat(77), "x".repeat(151), "x".repeat(300),
                line73 + "=", line73 + "x=", line73 + "xx=", line73 + "xxx=", line73 + " ", line73 + "x ", line73 + "xx \r\n",
                line73 + "xx\t\r\n", "\r\n" + "x".repeat(76), "\r\n" + "x".repeat(75) + "=", "caf\u00e9 \u00fcber \u20ac \ud83d\udce8",
                "\u0000\u0001\u001f\u007f", "line\r\n".repeat(40), " \r\n".repeat(30), ("x".repeat(70) + " \r\n").repeat(3));
        for (String c : cases) {
            byte[] body = c.getBytes(StandardCharsets.UTF_8);
            assertEquals(ascii(mime4j(body)), ascii(fast(body, List.of())), () -> "body " + c.replace("\r", "\\r").replace("\n", "\\n"));
        }
        byte[] allBytes = new byte[256];
        for (int b = 0; b < 256; b++) {
            allBytes[b] = (byte) b;
        }
        assertArrayEquals(mime4j(allBytes), fast(allBytes, List.of(1, 2, 3)));
    }

    @Test
    void escapesAsTheRfcSays() throws IOException {
        assertEquals("caf=C3=A9 =3D =2E end=20\r\nnext line=09\r\n=2E", ascii(fast("caf\u00e9 = . end \r\nnext line\t\r\n.".getBytes(StandardCharsets.UTF_8), List.of())));
        assertEquals("x".repeat(75) + "=\r\nx", ascii(fast("x".repeat(76).getBytes(StandardCharsets.US_ASCII), List.of())));
    }

    @Test
    void refusesWritesAfterCloseAndClosesOnce() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        TextQuotedPrintableOutputStream qp = new TextQuotedPrintableOutputStream(sink);
        qp.write('a');
        qp.write(' ');
        qp.close();
        qp.close();
        assertEquals("a ", ascii(sink.toByteArray()));
        assertThrows(IOException.class, () -> qp.write('b'));
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        return tokens().list().ofMaxSize(80).map(TextQuotedPrintableOutputStreamTest::concat);
    }

    @Provide
    Arbitrary<byte[]> longBodies() {
        return tokens().list().ofMinSize(300).ofMaxSize(1200).map(TextQuotedPrintableOutputStreamTest::concat);
    }

    /** Where the body is cut into write calls (offsets, taken modulo the body's length). */
    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(0, 100_000).list().ofMaxSize(6);
    }

    /** Pieces a body is made of: what mime4j treats specially, runs long enough for soft breaks, any byte. */
    private static Arbitrary<byte[]> tokens() {
        Arbitrary<byte[]> run = Combinators.combine(Arbitraries.of("a", "Z", "0", "~", "!"), Arbitraries.integers().between(1, 160))
                .as((s, n) -> s.repeat(n).getBytes(StandardCharsets.US_ASCII));
        Arbitrary<byte[]> special = Arbitraries.of(" ", "\t", "\r", "\n", "\r\n", " \r\n", "\t\r\n", "=", ".", "  ", " \t", "\t ",
                "\u00e9", "\u20ac", "\ud83d\udce8", "\u007f").map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> anyByte = Arbitraries.bytes().map(b -> new byte[] {b});
        return Arbitraries.frequencyOf(Tuple.of(3, run), Tuple.of(5, special), Tuple.of(2, anyByte));
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static byte[] mime4j(byte[] body) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream qp = new QuotedPrintableOutputStream(sink, false)) {
            qp.write(body);
        }
        return sink.toByteArray();
    }

    private static byte[] fast(byte[] body, List<Integer> cuts) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream qp = new TextQuotedPrintableOutputStream(sink)) {
            int[] at = cuts.stream().mapToInt(c -> body.length == 0 ? 0 : c % (body.length + 1)).sorted().toArray();
            int from = 0;
            for (int cut : at) {
                qp.write(body, from, cut - from);
                from = cut;
            }
            qp.write(body, from, body.length - from);
        }
        return sink.toByteArray();
    }

    private static String ascii(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
