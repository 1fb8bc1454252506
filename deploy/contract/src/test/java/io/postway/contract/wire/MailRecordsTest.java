package io.postway.contract.wire;

import com.fasterxml.jackson.databind.JsonNode;
import io.postway.contract.json.ContractJson;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MailRecordsTest {

    record Job(String jobId, List<String> recipients, Instant submittedAt, byte[] content, Map<String, Object> policy)
            implements MailRecords.Mail {
    }

    private static final byte[] MESSAGE = "Subject: hi\r\n\r\nbody \u00e9\r\n".getBytes(StandardCharsets.UTF_8);
    private static final Job JOB = new Job("j1", List.of("a@b.example"), Instant.parse("2026-11-28T10:00:00Z"), MESSAGE,
            Map.of("rule", "default"));

    @Test
    void theValueIsTheMessageItselfAndTheHeadersSaySo() {
        MailRecords.Encoded encoded = MailRecords.write(JOB);
        assertSame(MESSAGE, encoded.value(), "the content is handed on, not copied");
        assertEquals("2", utf8(encoded.headers().get("postway-format")));
        assertEquals("message/rfc822", utf8(encoded.headers().get("content-type")));
    }

    @Test
    void theMetadataIsTheContractJsonWithoutContent() throws Exception {
        JsonNode metadata = ContractJson.MAPPER.readTree(MailRecords.write(JOB).headers().get("postway-metadata"));
        assertFalse(metadata.has("content"), metadata.toString());
        assertEquals("2026-11-28T10:00:00Z", metadata.path("submittedAt").asText());
        assertEquals("default", metadata.path("policy").path("rule").asText());
        JsonNode formatOne = ContractJson.MAPPER.readTree(ContractJson.write(JOB));
        ((com.fasterxml.jackson.databind.node.ObjectNode) formatOne).remove("content");
        assertEquals(formatOne, metadata, "format 2's metadata is format 1's JSON minus content");
    }

    @Test
    void formatTwoReadsBackWithTheValueAsContent() {
        MailRecords.Encoded encoded = MailRecords.write(JOB);
        Job read = MailRecords.read(encoded.headers(), encoded.value(), Job.class);
        assertSame(encoded.value(), read.content(), "the reader hands the value on, not a copy");
        assertEquals(JOB.jobId(), read.jobId());
        assertEquals(JOB.recipients(), read.recipients());
        assertEquals(JOB.submittedAt(), read.submittedAt());
        assertEquals(JOB.policy(), read.policy());
    }

    @Test
    void formatOneJsonWithBase64ContentIsStillRead() {
        String legacy = "{\"jobId\":\"j1\",\"recipients\":[\"a@b.example\"],\"submittedAt\":\"2026-11-28T10:00:00Z\","
                + "\"content\":\"" + Base64.getEncoder().encodeToString(MESSAGE) + "\",\"policy\":null}";
        Job read = MailRecords.read(Map.of(), legacy.getBytes(StandardCharsets.UTF_8), Job.class);
        assertEquals(1, MailRecords.format(Map.of()));
        assertArrayEquals(MESSAGE, read.content());
        assertEquals("j1", read.jobId());
    }

    @Test
    void anUnknownFormatOrMissingMetadataIsRefusedByName() {
        MailRecords.Encoded encoded = MailRecords.write(JOB);
        Map<String, byte[]> future = new HashMap<>(encoded.headers());
        future.put("postway-format", "3".getBytes(StandardCharsets.UTF_8));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> MailRecords.read(future, encoded.value(), Job.class));
        assertTrue(unknown.getMessage().contains("'3'"), unknown.getMessage());

        Map<String, byte[]> noMetadata = new HashMap<>(encoded.headers());
        noMetadata.remove("postway-metadata");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> MailRecords.read(noMetadata, encoded.value(), Job.class));
        assertTrue(missing.getMessage().contains("postway-metadata"), missing.getMessage());
    }

    @Test
    void aBrokenMetadataHeaderIsRefusedWithoutEchoingTheMessage() {
        Map<String, byte[]> headers = new HashMap<>(MailRecords.write(JOB).headers());
        headers.put("postway-metadata", "[1,2]".getBytes(StandardCharsets.UTF_8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MailRecords.read(headers, MESSAGE, Job.class));
        assertFalse(e.getMessage().contains("body"), e.getMessage());
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
