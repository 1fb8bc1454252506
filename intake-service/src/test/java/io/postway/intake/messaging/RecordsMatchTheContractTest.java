package io.postway.intake.messaging;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.postway.contract.Topics;
import io.postway.contract.event.DeliveryEvent;
import io.postway.contract.event.DeliveryEvents;
import io.postway.contract.event.EventType;
import io.postway.contract.json.ContractJson;
import io.postway.contract.wire.MailRecords;
import io.postway.testkit.ContractSchemas;
import io.postway.testkit.LocalInfra;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The intake's records read and write exactly the JSON of the repository's documents:
 * {@code mail.submitted} as in deploy/docs/contract.md, the delivery event as the contract's
 * record (deploy/docs/contract.md) with the contract's JSON settings. A field the record does not
 * know fails the read, so the examples cannot drift from the records.
 */
class RecordsMatchTheContractTest {

    final ObjectMapper strict = ContractJson.configure(JsonMapper.builder().build())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Test
    void submittedMessageRoundTripsTheContractExample() throws Exception {
        String doc = Files.readString(LocalInfra.repositoryRoot().resolve("deploy/docs/contract.md"));
        Matcher m = Pattern.compile("## `mail.submitted`.*?```json\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertTrue(m.find(), "contract.md has a mail.submitted example");
        JsonNode example = strict.readTree(m.group(1));
        SubmittedMessage record = strict.treeToValue(example, SubmittedMessage.class);
        // the example is the metadata header of wire format 2: everything but the content
        assertEquals(example, strict.readTree(MailRecords.metadata(record)));
    }

    @Test
    void deliveryEventRoundTripsTheContractExample() throws Exception {
        JsonNode example = strict.readTree(getClass().getResourceAsStream("/contract-delivery-event.json"));
        ContractSchemas.assertValid(Topics.DELIVERY_EVENTS, example.toString());
        DeliveryEvent event = strict.treeToValue(example, DeliveryEvent.class);
        assertEquals(example, strict.readTree(ContractJson.write(event)));
        assertEquals(DeliveryEvents.eventId(event.data().messageId(), event.data().recipient(), EventType.DEFERRED, 1), event.id(),
                "the example's id is the deterministic one");
    }
}
