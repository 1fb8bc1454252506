package io.postway.contract.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.postway.contract.json.ContractJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The wire form of the records that carry a message, {@code mail.submitted} and {@code mail.outbound}
 * (deploy/docs/contract.md, "Mail records on the wire"): the record <em>value</em> is the message
 * itself, the raw RFC 5322 bytes, and everything else (envelope, ids, policy) is the record's JSON
 * without {@code content}, in the header {@value #METADATA_HEADER}. Headers {@value #FORMAT_HEADER}
 * = {@code 2} and {@code content-type: message/rfc822} say so.
 *
 * <p>Why: in format 1 (the whole record as JSON with {@code content} in base64) every hop paid a
 * base64 encode or decode plus the escaping and scanning of a string a third larger than the
 * message; in format 2 a reader parses a few hundred bytes of JSON and hands the value's bytes on,
 * and the router copies them from {@code mail.submitted} to {@code mail.outbound} untouched.
 *
 * <p>A reader accepts both formats ({@link #read}): records without {@value #FORMAT_HEADER} are
 * format 1, so the records already on a topic during a rolling upgrade are still read. Producers
 * write only format 2 ({@link #write}).
 *
 * <p>Plain Java: headers are {@code Map<String, byte[]>} (the services map them to and from Kafka's
 * headers), so the contract needs no Kafka client.
 */
public final class MailRecords {

    /** Wire format version; absent means 1 (the JSON value with base64 content). */
    public static final String FORMAT_HEADER = "postway-format";
    public static final String FORMAT = "2";
    /** The media type of a format 2 value (as in the CloudEvents binding, the header is {@code content-type}). */
    public static final String CONTENT_TYPE_HEADER = "content-type";
    public static final String CONTENT_TYPE = "message/rfc822";
    /** UTF-8 JSON: the record as in format 1 without {@code content}; the topic's JSON Schema describes it. */
    public static final String METADATA_HEADER = "postway-metadata";
    /** The property of a format 1 value (and of a record type) that holds the message. */
    public static final String CONTENT = "content";

    private static final byte[] FORMAT_BYTES = FORMAT.getBytes(StandardCharsets.UTF_8);
    private static final byte[] CONTENT_TYPE_BYTES = CONTENT_TYPE.getBytes(StandardCharsets.UTF_8);

    /**
     * The contract's JSON settings, except that a {@code byte[]} property is left out: the one
     * {@code byte[]} of a mail record is its content, which travels as the value instead.
     */
    private static final ObjectMapper METADATA = metadataMapper();

    private MailRecords() {
    }

    /** A record type that carries a message: its {@code content} component is the raw RFC 5322 bytes. */
    public interface Mail {
        byte[] content();
    }

    /** A record's headers and value as written. */
    public record Encoded(Map<String, byte[]> headers, byte[] value) {
    }

    /** Format 2: the value is {@code record.content()} itself (not copied), the rest goes to the metadata header. */
    public static Encoded write(Mail record) {
        byte[] content = Objects.requireNonNull(record.content(), "a mail record without content");
        Map<String, byte[]> headers = new LinkedHashMap<>(4);
        headers.put(FORMAT_HEADER, FORMAT_BYTES.clone());
        headers.put(CONTENT_TYPE_HEADER, CONTENT_TYPE_BYTES.clone());
        headers.put(METADATA_HEADER, metadata(record));
        return new Encoded(headers, content);
    }

    /** The metadata header's JSON of a record: everything but its content. */
    public static byte[] metadata(Object record) {
        try {
            return METADATA.writeValueAsBytes(record);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise " + record.getClass().getSimpleName(), e);
        }
    }

    /** The wire format of a record with these headers: 1 (no {@value #FORMAT_HEADER}) or 2. */
    public static int format(Map<String, byte[]> headers) {
        byte[] format = headers.get(FORMAT_HEADER);
        if (format == null) {
            return 1;
        }
        String f = new String(format, StandardCharsets.UTF_8);
        if (!FORMAT.equals(f)) {
            throw new IllegalArgumentException("unknown " + FORMAT_HEADER + " '" + f + "' (this reader knows 1 and 2)");
        }
        return 2;
    }

    /**
     * Reads a record of either format into {@code type}, whose {@code content} is then the raw
     * message: in format 2 the value array itself (not copied), in format 1 the decoded base64.
     *
     * @throws IllegalArgumentException when the record is neither (names what is wrong, never echoes content)
     */
    public static <T extends Mail> T read(Map<String, byte[]> headers, byte[] value, Class<T> type) {
        if (value == null) {
            throw new IllegalArgumentException("a " + type.getSimpleName() + " record without a value");
        }
        if (format(headers) == 1) {
            return ContractJson.read(value, type);
        }
        byte[] metadata = headers.get(METADATA_HEADER);
        if (metadata == null) {
            throw new IllegalArgumentException("a format 2 record without the " + METADATA_HEADER + " header");
        }
        try {
            JsonNode tree = METADATA.readTree(metadata);
            if (!(tree instanceof ObjectNode object)) {
                throw new IllegalArgumentException("the " + METADATA_HEADER + " header is no JSON object");
            }
            // a binary node hands the array itself to the record's byte[] component
            object.set(CONTENT, BinaryNode.valueOf(value));
            return METADATA.treeToValue(object, type);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private static ObjectMapper metadataMapper() {
        ObjectMapper mapper = ContractJson.configure(JsonMapper.builder().build());
        mapper.configOverride(byte[].class).setIncludeAsProperty(JsonInclude.Value.construct(
                JsonInclude.Include.CUSTOM, JsonInclude.Include.USE_DEFAULTS, LeftOut.class, null));
        return mapper;
    }

    /** A {@code JsonInclude.Include.CUSTOM} filter that leaves every value out. */
    private static final class LeftOut {
        @Override
        public boolean equals(Object other) {
            return true;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }
}
