package io.postway.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.postway.intake.domain.MessageDraft;
import io.postway.intake.domain.SubmissionRefused;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Assume;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The JSON body is parsed from its bytes; whatever a body is, the outcome is the one of parsing its
 * strictly decoded text (how every body was read before), and malformed UTF-8 is refused first.
 */
class SubmissionJsonTest {

    @Property(tries = 3000)
    void parsingTheBytesReadsWhatParsingTheTextRead(@ForAll("bodies") byte[] body) {
        Assume.that(strictUtf8(body)); // anything else is refused before it is parsed (below)
        assertEquals(outcome(() -> SubmissionJson.STRICT.readTree(new String(body, StandardCharsets.UTF_8))),
                outcome(() -> SubmissionJson.parse(body)));
    }

    @Test
    void bomsNulsAndOtherEncodingsAreRefusedAsBefore() {
        String ok = "{\"from\":\"a@b.example\",\"to\":[\"c@d.example\"],\"text\":\"hi\"}";
        SubmissionJson.read(ok.getBytes(StandardCharsets.UTF_8));
        for (byte[] body : List.of(("\ufeff" + ok).getBytes(StandardCharsets.UTF_8), ok.getBytes(StandardCharsets.UTF_16LE),
                ok.getBytes(StandardCharsets.UTF_16BE), ok.getBytes(StandardCharsets.UTF_16), ("\u0000" + ok).getBytes(StandardCharsets.UTF_8),
                (ok + "\u0000").getBytes(StandardCharsets.UTF_8), utf32(ok))) {
            SubmissionRefused refused = assertThrows(SubmissionRefused.class, () -> SubmissionJson.read(body), new String(body, StandardCharsets.ISO_8859_1));
            assertEquals("body", refused.errors().get(0).field());
        }
    }

    @Test
    void refusesMalformedUtf8AndKeepsCharactersAcrossTheCheckersChunks() {
        for (String bad : List.of("c0af", "e080af", "eda080", "f4908080", "ff", "c3", "e282", "80")) {
            byte[] body = concat("{\"text\":\"x".getBytes(StandardCharsets.UTF_8), hex(bad), "\"}".getBytes(StandardCharsets.UTF_8));
            SubmissionRefused refused = assertThrows(SubmissionRefused.class, () -> SubmissionJson.read(body), bad);
            assertEquals("not valid UTF-8", refused.errors().get(0).message(), bad);
        }
        // a 4-byte character (2 chars) at every position around the 8 K chars the check decodes at a time
        for (int pad = 8180; pad < 8200; pad++) {
            String text = "a".repeat(pad) + "\ud83d\udce8\u00e9\u20ac";
            MessageDraft draft = SubmissionJson.read(("{\"from\":\"a@b.example\",\"text\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8));
            assertEquals(text, draft.text());
        }
    }

    /** JSON-like bodies: valid and broken JSON, BOMs, NULs and control bytes at the start, malformed UTF-8, non-ASCII. */
    @Provide
    Arbitrary<byte[]> bodies() {
        Arbitrary<String> token = Arbitraries.of("{", "}", "[", "]", ":", ",", "\"from\"", "\"text\"", "\"x\"", "\"a\\nb\"", "\"\\u00e9\"",
                "\"\\ud83d\"", "1", "-0.5e3", "true", "null", " ", "\n", "\t", "\u00e9", "\ud83d\udce8", "/*c*/", "'s'", "\u0000", "\u0001", "\ufeff");
        Arbitrary<byte[]> piece = Arbitraries.frequencyOf(
                Tuple.of(10, token.map(s -> s.getBytes(StandardCharsets.UTF_8))),
                Tuple.of(1, Arbitraries.of("efbbbf", "feff", "fffe", "00", "0000feff", "c0af", "ff").map(SubmissionJsonTest::hex)),
                Tuple.of(1, Arbitraries.bytes().map(b -> new byte[] {b})));
        Arbitrary<byte[]> random = piece.list().ofMaxSize(30).map(parts -> concat(parts.toArray(byte[][]::new)));
        Arbitrary<byte[]> prefixedValid = Arbitraries.of("", "\ufeff", "\u0000", " ", "\u0000\u0000", "\ufeff\u0000")
                .map(prefix -> (prefix + "{\"from\":\"a@b.example\",\"text\":\"t\u00e9\\n\",\"to\":[]}").getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(random, prefixedValid);
    }

    private static boolean strictUtf8(byte[] body) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static Object outcome(Parse parse) {
        try {
            JsonNode node = parse.run();
            return node == null ? "no value" : node;
        } catch (JsonProcessingException e) {
            return "refused";
        } catch (IOException e) {
            return "unreadable";
        }
    }

    private interface Parse {
        JsonNode run() throws IOException;
    }

    private static byte[] utf32(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.codePoints().forEach(c -> out.writeBytes(new byte[] {(byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) c}));
        return out.toByteArray();
    }

    private static byte[] hex(String h) {
        byte[] b = new byte[h.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
