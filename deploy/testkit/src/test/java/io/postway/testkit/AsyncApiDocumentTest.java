package io.postway.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.postway.contract.Topics;
import io.postway.contract.event.CloudEventsKafka;
import io.postway.contract.wire.MailRecords;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/docs/asyncapi.yaml is YAML, names exactly the contract's topics, and every {@code $ref} in
 * it resolves: inside the document to a node, outside it to a file that is a valid JSON Schema
 * (draft 2020-12, checked against the meta-schema) — the very schema {@link ContractSchemas} uses.
 */
class AsyncApiDocumentTest {

    static final Path DOCS = LocalInfra.repositoryRoot().resolve("deploy/docs");
    static JsonNode doc;

    @BeforeAll
    static void load() throws Exception {
        doc = new ObjectMapper(new YAMLFactory()).readTree(DOCS.resolve("asyncapi.yaml").toFile());
    }

    @Test
    void isAnAsyncApi3DocumentWithOneChannelPerTopic() {
        assertEquals("3.0.0", doc.path("asyncapi").asText());
        Set<String> addresses = new TreeSet<>();
        doc.path("channels").forEach(channel -> {
            addresses.add(channel.path("address").asText());
            assertEquals(channel.path("address").asText(), channel.at("/bindings/kafka/topic").asText());
        });
        assertEquals(new TreeSet<>(ContractSchemas.TOPICS), addresses);
    }

    @Test
    void everyReferenceResolvesAndEveryReferencedFileIsAValidSchemaOfItsTopic() throws Exception {
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertFalse(refs.isEmpty());
        var metaSchema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        Set<String> files = new HashSet<>();
        for (String ref : refs) {
            if (ref.startsWith("#")) {
                assertFalse(doc.at(ref.substring(1)).isMissingNode(), ref + " points at nothing");
                continue;
            }
            Path file = DOCS.resolve(ref).normalize();
            assertTrue(Files.isRegularFile(file), ref + " is not a file");
            String json = Files.readString(file);
            new ObjectMapper().readTree(json); // valid JSON
            assertEquals(List.of(), metaSchema.validate(json, InputFormat.JSON).stream().map(Object::toString).toList(),
                    ref + " is not a valid JSON Schema 2020-12");
            String resource = ContractSchemas.schemaResource(file.getFileName().toString().replace(".schema.json", ""));
            assertTrue(file.endsWith(Path.of("deploy/contract/src/main/resources").resolve(resource)),
                    ref + " is not the schema ContractSchemas validates with");
            files.add(file.getFileName().toString());
        }
        assertEquals(ContractSchemas.TOPICS.size(), files.size(), "one schema per topic: " + files);
    }

    @Test
    void eachChannelsMessagesCarryThatTopicsSchema() {
        doc.path("channels").forEach(channel -> channel.path("messages").forEach(ref -> {
            JsonNode message = doc.at(ref.path("$ref").asText().substring(1));
            // wire format 2: a mail record's schema is that of its metadata header, its payload the raw message
            String schemaRef = ContractSchemas.MAIL_TOPICS.contains(channel.path("address").asText())
                    ? "/headers/properties/postway-metadata/contentSchema/$ref" : "/payload/schema/$ref";
            assertEquals(channel.path("address").asText() + ".schema.json",
                    Path.of(message.at(schemaRef).asText()).getFileName().toString());
            assertEquals("string", message.at("/bindings/kafka/key/type").asText());
        }));
    }

    @Test
    void everyTopicHasASenderAndAReceiverAndOperationsUseTheirChannelsMessages() {
        Map<String, Set<String>> actionsByChannel = new java.util.HashMap<>();
        doc.path("operations").properties().forEach(op -> {
            String channelRef = op.getValue().at("/channel/$ref").asText();
            actionsByChannel.computeIfAbsent(channelRef, k -> new TreeSet<>()).add(op.getValue().path("action").asText());
            op.getValue().path("messages").forEach(m ->
                    assertTrue(m.path("$ref").asText().startsWith(channelRef + "/messages/"), op.getKey() + ": " + m));
        });
        assertEquals(ContractSchemas.TOPICS.size(), actionsByChannel.size(), "one channel per topic");
        actionsByChannel.forEach((channel, actions) -> assertEquals(Set.of("send", "receive"), actions, channel));
    }

    @Test
    void deliveryEventsDeclareTheStructuredModeHeaderAndTopicsTheirLayout() {
        JsonNode header = doc.at("/components/messages/deliveryEvent/headers/properties/content-type");
        assertEquals(CloudEventsKafka.STRUCTURED_CONTENT_TYPE, header.path("const").asText());
        assertEquals("content-type", doc.at("/components/messages/deliveryEvent/headers/required/0").asText());
        for (String mail : List.of("submitted", "job")) {
            JsonNode headers = doc.at("/components/messages/" + mail + "/headers/properties");
            assertEquals(MailRecords.FORMAT, headers.at("/" + MailRecords.FORMAT_HEADER + "/const").asText(), mail);
            assertEquals(MailRecords.CONTENT_TYPE, headers.at("/" + MailRecords.CONTENT_TYPE_HEADER + "/const").asText(), mail);
            assertEquals(MailRecords.CONTENT_TYPE, doc.at("/components/messages/" + mail + "/contentType").asText(), mail);
        }
        JsonNode channels = doc.path("channels");
        assertEquals(6, channels.at("/outbound/bindings/kafka/partitions").asInt());
        assertEquals(Topics.OUTBOUND, channels.at("/outbound/address").asText());
        assertEquals("compact", channels.at("/policyChanges/bindings/kafka/topicConfiguration/cleanup.policy/0").asText());
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getKey().equals("$ref")) {
                    refs.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectRefs(n, refs));
        }
    }
}
