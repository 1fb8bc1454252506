package io.postway.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.postway.contract.OutboundKey;
import io.postway.contract.Topics;
import io.postway.contract.event.CloudEventsKafka;
import io.postway.contract.event.DeliveryEvents;
import io.postway.contract.event.EventType;
import io.postway.contract.json.ContractJson;
import io.postway.contract.wire.MailRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks what a producer really wrote against the contract (deploy/docs/contract.md): the topic's
 * JSON Schema (shipped by postway-contract under {@value #SCHEMA_DIRECTORY}), the record key each
 * topic promises, and for {@code mail.delivery-events} that the CloudEvents SDK, an independent
 * reader, accepts the record in the Kafka binding's structured mode. On {@code mail.submitted} and
 * {@code mail.outbound} the schema describes the metadata: the record must be in wire format 2
 * ({@link MailRecords}: headers {@code postway-format: 2}, {@code content-type: message/rfc822}, the
 * metadata JSON in {@code postway-metadata}, the raw message as the value).
 *
 * <p>Every check throws {@link AssertionError} (so it reads as a test failure) naming each violation
 * with its JSON path, e.g. {@code $.data.attempt: must have a minimum value of 0}.
 */
public final class ContractSchemas {

    /** Where the schemas are on the class path: {@code <topic>.schema.json}. */
    public static final String SCHEMA_DIRECTORY = "io/postway/contract/schema/";

    /** RFC 8460 §4.4's TLS-RPT report as a JSON Schema (written for the tests; see the file's description). */
    public static final String RFC8460_REPORT = "io/postway/testkit/rfc8460-report.schema.json";

    /** The topics whose records carry a message in wire format 2 (value = the message, metadata in a header). */
    public static final List<String> MAIL_TOPICS = List.of(Topics.SUBMITTED, Topics.OUTBOUND);

    /** Every topic that has a schema, in the contract's order. */
    public static final List<String> TOPICS = List.of(Topics.SUBMITTED, Topics.OUTBOUND, Topics.DEFERRED,
            Topics.DELIVERY_EVENTS, Topics.POLICY_CHANGES, Topics.PROBE_REQUESTS, Topics.PROBE_RESULTS,
            Topics.OUTBOUND_HANDLED, Topics.POLICY_REVIEWS);

    // formats (date-time, duration, uuid) are only annotations in 2020-12 unless asserted
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true)
                    .pathType(PathType.JSON_PATH).build()));
    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();

    private ContractSchemas() {
    }

    /** The class-path resource of a topic's schema, e.g. {@code io/postway/contract/schema/mail.outbound.schema.json}. */
    public static String schemaResource(String topic) {
        if (!TOPICS.contains(topic)) {
            throw new IllegalArgumentException("no schema for topic '" + topic + "'; the contract's topics are " + TOPICS);
        }
        return SCHEMA_DIRECTORY + topic + ".schema.json";
    }

    /** Every way {@code json} breaks the topic's schema, as {@code <JSON path>: <message>}; empty when it is valid. */
    public static List<String> violations(String topic, String json) {
        Schema schema = schema(topic);
        List<Error> errors;
        try {
            errors = schema.validate(json, InputFormat.JSON);
        } catch (RuntimeException e) {
            return List.of("$: not JSON (" + e.getMessage() + ")");
        }
        return errors.stream().map(ContractSchemas::describe).distinct().toList();
    }

    public static List<String> violations(String topic, byte[] json) {
        return violations(topic, new String(json, StandardCharsets.UTF_8));
    }

    /** Fails listing every violation when {@code json} is not a valid value of {@code topic}. */
    public static void assertValid(String topic, String json) {
        List<String> found = violations(topic, Objects.requireNonNull(json, "a record value (null is a tombstone)"));
        if (!found.isEmpty()) {
            throw new AssertionError("not a valid " + topic + " value (" + found.size() + " violation"
                    + (found.size() == 1 ? "" : "s") + "):\n  " + String.join("\n  ", found) + "\nvalue: " + abbreviate(json));
        }
    }

    public static void assertValid(String topic, byte[] json) {
        assertValid(topic, new String(Objects.requireNonNull(json, "a record value (null is a tombstone)"), StandardCharsets.UTF_8));
    }

    /** {@link #assertValidRecord(String, ConsumerRecord)} under the record's own topic. */
    public static void assertValidRecord(ConsumerRecord<String, byte[]> record) {
        assertValidRecord(record.topic(), record);
    }

    /**
     * The whole record as the contract wants it on {@code topic}: the value valid against the schema
     * (on {@code mail.policy-changes} a null value, a tombstone, is valid too; on the {@link
     * #MAIL_TOPICS} the metadata header, with the headers and value of wire format 2, and on {@code
     * mail.submitted} {@code sizeBytes} = the value's length), the key the topic
     * promises (messageId, the job's domain, the rule), and on {@code mail.delivery-events} subject
     * = recipient, time = data.at, the deterministic id, the structured-mode header and an SDK that
     * reads it with the value's id/type/source/subject.
     */
    public static void assertValidRecord(String topic, ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            if (!topic.equals(Topics.POLICY_CHANGES)) {
                throw new AssertionError("a null value (tombstone) on " + topic + ", key " + record.key()
                        + ": only " + Topics.POLICY_CHANGES + " deletes by tombstone");
            }
            return;
        }
        byte[] json = MAIL_TOPICS.contains(topic) ? mailMetadata(topic, record) : record.value();
        assertValid(topic, json);
        JsonNode value = readTree(json);
        if (topic.equals(Topics.SUBMITTED) && value.path("sizeBytes").asLong() != record.value().length) {
            throw new AssertionError("mail.submitted sizeBytes " + value.path("sizeBytes") + " is not the message's "
                    + record.value().length + " bytes (the record value)");
        }
        String keyField = switch (topic) {
            case Topics.OUTBOUND -> "domain";
            case Topics.POLICY_CHANGES -> "rule";
            case Topics.OUTBOUND_HANDLED -> "jobId";
            case Topics.DELIVERY_EVENTS -> "/data/messageId";
            case Topics.PROBE_REQUESTS, Topics.PROBE_RESULTS -> "probeId";
            case Topics.POLICY_REVIEWS -> "/data/rule";
            default -> "messageId";
        };
        String expectedKey = keyField.startsWith("/") ? value.at(keyField).asText() : value.path(keyField).asText();
        if (topic.equals(Topics.OUTBOUND)) {
            // a hot domain's jobs are keyed domain#slot/slots (OutboundKey), the slot chosen from the job id
            expectedKey = OutboundKey.of(expectedKey, value.path("jobId").asText(null),
                    value.path("policy").path("limits").path("maxConnections").asInt(1));
        }
        if (!expectedKey.equals(record.key())) {
            throw new AssertionError(topic + " records are keyed by " + keyField.replace('/', '.').replaceFirst("^\\.", "")
                    + " '" + expectedKey + "', but the key is " + (record.key() == null ? "null" : "'" + record.key() + "'"));
        }
        if (topic.equals(Topics.DELIVERY_EVENTS)) {
            assertDeliveryEventInvariants(value);
            CloudEvent event = readAsCloudEvent(record);
            assertSdkReads("id", value.path("id").asText(), event.getId());
            assertSdkReads("type", value.path("type").asText(), event.getType());
            assertSdkReads("source", value.path("source").asText(), String.valueOf(event.getSource()));
            assertSdkReads("subject", value.path("subject").asText(), event.getSubject());
        }
    }

    /**
     * The metadata JSON of a mail record in wire format 2, after checking its format headers and that
     * the value (the message) is not empty; format 1 (the whole record as JSON) is only read, never
     * written, so a producer writing it fails here.
     */
    public static byte[] mailMetadata(String topic, ConsumerRecord<String, byte[]> record) {
        String format = header(record, MailRecords.FORMAT_HEADER);
        if (!MailRecords.FORMAT.equals(format)) {
            throw new AssertionError(topic + " records are written in wire format " + MailRecords.FORMAT + " (header '"
                    + MailRecords.FORMAT_HEADER + ": " + MailRecords.FORMAT + "'), this one has "
                    + (format == null ? "none (format 1, the legacy JSON value)" : "'" + format + "'")
                    + ". Headers: " + TopicRecords.headers(record));
        }
        String contentType = header(record, MailRecords.CONTENT_TYPE_HEADER);
        if (!MailRecords.CONTENT_TYPE.equals(contentType)) {
            throw new AssertionError("the '" + MailRecords.CONTENT_TYPE_HEADER + "' header of a " + topic + " record is "
                    + (contentType == null ? "missing" : "'" + contentType + "'") + ", the contract says '"
                    + MailRecords.CONTENT_TYPE + "'");
        }
        Header metadata = record.headers().lastHeader(MailRecords.METADATA_HEADER);
        if (metadata == null || metadata.value() == null) {
            throw new AssertionError("a " + topic + " record without the '" + MailRecords.METADATA_HEADER + "' header");
        }
        if (record.value().length == 0) {
            throw new AssertionError("a " + topic + " record whose value (the message) is empty");
        }
        return metadata.value();
    }

    private static String header(ConsumerRecord<?, ?> record, String key) {
        Header h = record.headers().lastHeader(key);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /**
     * Reads a {@code mail.delivery-events} record as a CloudEvents SDK consumer would ({@link
     * CloudEventDeserializer}); requires the structured-mode header {@code content-type:
     * application/cloudevents+json; charset=UTF-8}, as the contract does.
     */
    public static CloudEvent readAsCloudEvent(ConsumerRecord<String, byte[]> record) {
        Header header = record.headers().lastHeader(CloudEventsKafka.CONTENT_TYPE_HEADER);
        if (header == null || header.value() == null) {
            throw new AssertionError("the record (topic " + record.topic() + ", key " + record.key() + ") has no '"
                    + CloudEventsKafka.CONTENT_TYPE_HEADER + "' header; structured mode needs '"
                    + CloudEventsKafka.STRUCTURED_CONTENT_TYPE + "'. Headers: " + TopicRecords.headers(record));
        }
        String contentType = new String(header.value(), StandardCharsets.UTF_8);
        if (!contentType.equals(CloudEventsKafka.STRUCTURED_CONTENT_TYPE)) {
            throw new AssertionError("the '" + CloudEventsKafka.CONTENT_TYPE_HEADER + "' header is '" + contentType
                    + "', the contract says '" + CloudEventsKafka.STRUCTURED_CONTENT_TYPE + "'");
        }
        try (CloudEventDeserializer deserializer = new CloudEventDeserializer()) {
            deserializer.configure(Map.of(), false);
            CloudEvent event = deserializer.deserialize(record.topic(), record.headers(), record.value());
            if (event == null) {
                throw new AssertionError("the CloudEvents SDK read no event from the record (key " + record.key() + ")");
            }
            return event;
        } catch (RuntimeException e) {
            throw new AssertionError("the CloudEvents SDK cannot read the record (key " + record.key() + "): " + e, e);
        }
    }

    /** What a schema cannot say: subject = recipient, time = data.at, and the id is the deterministic one. */
    private static void assertDeliveryEventInvariants(JsonNode event) {
        JsonNode data = event.path("data");
        if (!data.path("recipient").asText().equals(event.path("subject").asText())) {
            throw new AssertionError("subject '" + event.path("subject").asText() + "' is not the recipient '"
                    + data.path("recipient").asText() + "' (subject (= data.recipient))");
        }
        if (!Instant.parse(event.path("time").asText()).equals(Instant.parse(data.path("at").asText()))) {
            throw new AssertionError("time " + event.path("time").asText() + " is not data.at " + data.path("at").asText());
        }
        EventType type = EventType.fromType(event.path("type").asText()).orElseThrow();
        String expectedId = DeliveryEvents.eventId(data.path("messageId").asText(), data.path("recipient").asText(), type,
                data.path("attempt").asInt());
        if (!expectedId.equals(event.path("id").asText())) {
            throw new AssertionError("id " + event.path("id").asText() + " is not the deterministic id " + expectedId
                    + " of (messageId, recipient, type, attempt) — DeliveryEvents.eventId");
        }
    }

    /**
     * Every way {@code json} breaks the schema at class-path {@code resource} (a schema that is no
     * topic's, e.g. RFC 8460's TLS-RPT report), validated the same way as the topics' ones.
     */
    public static List<String> violationsOfResource(String resource, String json) {
        List<Error> errors;
        try {
            errors = schemaAt(resource).validate(json, InputFormat.JSON);
        } catch (RuntimeException e) {
            return List.of("$: not JSON (" + e.getMessage() + ")");
        }
        return errors.stream().map(ContractSchemas::describe).distinct().toList();
    }

    private static Schema schema(String topic) {
        return schemaAt(schemaResource(topic));
    }

    private static Schema schemaAt(String schemaResource) {
        return SCHEMAS.computeIfAbsent(schemaResource, resource -> {
            try (InputStream in = ContractSchemas.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException(resource + " is not on the class path (postway-contract missing?)");
                }
                return REGISTRY.getSchema(in, InputFormat.JSON);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + resource, e);
            }
        });
    }

    private static String describe(Error error) {
        String message = error.getMessage();
        String path = String.valueOf(error.getInstanceLocation());
        // the validator's message usually starts with the path already
        return message.startsWith(path) ? message : path + ": " + message;
    }

    private static JsonNode readTree(byte[] json) {
        try {
            return ContractJson.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + e.getMessage(), e);
        }
    }

    private static void assertSdkReads(String attribute, String inValue, String inSdk) {
        if (!inValue.equals(inSdk)) {
            throw new AssertionError("the CloudEvents SDK reads " + attribute + " '" + inSdk + "', the value says '" + inValue + "'");
        }
    }

    private static String abbreviate(String json) {
        return json.length() <= 2000 ? json : json.substring(0, 2000) + "… (" + json.length() + " characters)";
    }
}
