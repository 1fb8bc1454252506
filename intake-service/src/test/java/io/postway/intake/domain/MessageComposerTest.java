package io.postway.intake.domain;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.james.mime4j.message.DefaultMessageWriter;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The composer's messages are byte for byte what mime4j's own {@link DefaultMessageWriter} writes,
 * but for the multipart boundaries, which mime4j draws at random per message: each is replaced by
 * its rank of appearance before the comparison.
 */
class MessageComposerTest {

    private static final Pattern BOUNDARY = Pattern.compile("-=Part\\.[0-9a-f]+\\.[0-9a-f]+\\.[0-9a-f]+\\.[0-9a-f]+=-");
    private static final Date NOW = new Date(1_764_600_000_000L);
    private final MessageComposer composer = new MessageComposer(50, "test.example");
    private final MessageComposer mime4j = new MessageComposer(50, "test.example", new DefaultMessageWriter());

    @Property(tries = 300)
    void composesWhatMime4jWrites(@ForAll("texts") String text, @ForAll("texts") String html, @ForAll("shape") int shape) {
        MessageDraft draft = draft(shape % 3 == 2 ? null : text, shape % 3 == 0 ? null : html, shape >= 3
                ? List.of(new MessageDraft.AttachmentDraft("a.bin", null, Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8))))
                : List.of());
        assertSame(draft);
    }

    /** The benchmark's message (intake-bench, BODY_KB=100), and one with every kind of part. */
    @Test
    void composesWhatMime4jWritesForTheBenchmarkAndEveryPart() {
        String text = "benchmark text line\n".repeat(100 * 1024 / 21);
        String composed = assertSame(draft(text, null, List.of()));
        assertTrue(composed.contains("\r\nbenchmark text line\r\nbenchmark text line\r\n"), composed.substring(0, 400));
        assertSame(draft("caf\u00e9 . = \t\nsecond line \n" + "x".repeat(200), "<p>caf\u00e9</p>\n",
                List.of(new MessageDraft.AttachmentDraft("f.txt", "text/plain", Base64.getEncoder().encodeToString(new byte[3000])))));
    }

    private String assertSame(MessageDraft draft) {
        String expected = withRankedBoundaries(mime4j.compose(draft, "id-1", NOW).content());
        String composed = withRankedBoundaries(composer.compose(draft, "id-1", NOW).content());
        assertEquals(expected, composed);
        return composed;
    }

    private static String withRankedBoundaries(byte[] content) {
        List<String> seen = new ArrayList<>();
        return BOUNDARY.matcher(new String(content, StandardCharsets.ISO_8859_1)).replaceAll(m -> {
            if (!seen.contains(m.group())) {
                seen.add(m.group());
            }
            return "boundary-" + seen.indexOf(m.group());
        });
    }

    private static MessageDraft draft(String text, String html, List<MessageDraft.AttachmentDraft> attachments) {
        return new MessageDraft("Sender <s@test.example>", List.of("r@test.example"), List.of(), List.of(), List.of(),
                "subject", text, html, Map.of("X-Tag", "t"), attachments);
    }

    @Provide
    Arbitrary<Integer> shape() {
        return Arbitraries.integers().between(0, 5);
    }

    /** Texts the composer accepts: lines of words, spaces, tabs, dots, '=', non-ASCII, ended by LF or by CRLF throughout. */
    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> word = Arbitraries.oneOf(Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(90),
                Arbitraries.of(" ", "\t", ".", "=", "  ", "\u00e9", "\u20ac", "\ud83d\udce8", "\u007f"));
        Arbitrary<String> line = word.list().ofMaxSize(12).map(words -> String.join("", words));
        return Combinators.combine(line.list().ofMaxSize(8), Arbitraries.of("\n", "\r\n"), Arbitraries.of(true, false))
                .as((lines, end, lastEnded) -> String.join(end, lines) + (lastEnded ? end : ""));
    }
}
