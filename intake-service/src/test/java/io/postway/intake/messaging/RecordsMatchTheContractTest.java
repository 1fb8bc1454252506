package io.postway.intake.messaging;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.postway.testkit.LocalInfra;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The intake's record copies read and write exactly the JSON of deploy/docs/messages.md and CONTRACT.md. */
class RecordsMatchTheContractTest {

    final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Test
    void submittedMessageRoundTripsTheExampleOfMessagesMd() throws Exception {
        String doc = Files.readString(LocalInfra.repositoryRoot().resolve("deploy/docs/messages.md"));
        Matcher m = Pattern.compile("## `mail.submitted`.*?```json\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        m.find();
        JsonNode example = json.readTree(m.group(1));
        SubmittedMessage record = json.treeToValue(example, SubmittedMessage.class);
        assertEquals(example, json.readTree(json.writeValueAsString(record)));
    }

    @Test
    void deliveryEventRoundTripsTheContractExample() throws Exception {
        JsonNode example = json.readTree(getClass().getResourceAsStream("/contract-delivery-event.json"));
        DeliveryEvent event = json.treeToValue(example, DeliveryEvent.class);
        assertEquals(example, json.readTree(json.writeValueAsString(event)));
    }
}
