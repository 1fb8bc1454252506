package io.postway.intake.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.postway.contract.event.DeliveryEvent;
import io.postway.contract.event.DeliveryEvents;
import io.postway.contract.event.EventType;
import io.postway.contract.json.ContractJson;
import io.postway.intake.domain.ProjectedEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The streaming read gives the status view what binding the whole DeliveryEvent gave it. */
class ProjectedEventReaderTest {

    static final Instant AT = Instant.parse("2026-12-01T10:00:00.123Z");
    static final DeliveryEvents EVENTS = new DeliveryEvents("intake-service", "test");

    @Test
    void readsAnAcceptedEventWithItsOwner() throws Exception {
        DeliveryEvent accepted = EVENTS.event(EventType.ACCEPTED, "m-1", "a@x.example", "x.example", 0, AT)
                .submittedAt(AT).client("contoso").build();
        ProjectedEvent e = ProjectedEventReader.read(ContractJson.write(accepted)).orElseThrow();
        assertEquals(new ProjectedEvent("m-1", "a@x.example", "ACCEPTED", 0, AT, e.dataJson(), "contoso", AT), e);
        assertEquals(ContractJson.MAPPER.readTree(ContractJson.write(accepted.data())), ContractJson.MAPPER.readTree(e.dataJson()),
                "data is stored as it was sent, every field of it");
    }

    @Test
    void readsADeliveredEventWithItsTranscriptAsSent() throws Exception {
        DeliveryEvent delivered = EVENTS.event(EventType.DELIVERED, "m-2", "b@x.example", "x.example", 3, AT)
                .diagnosis("250 2.0.0 ok \"quoted\" \\ {braces}").transcript(List.of("S: 220 mx", "C: EHLO {x}", "S: 250 \u00e9")).build();
        String value = ContractJson.write(delivered);
        ProjectedEvent e = ProjectedEventReader.read(value).orElseThrow();
        assertEquals("DELIVERED", e.status());
        assertEquals(3, e.attempt());
        assertEquals(AT, e.at());
        assertNull(e.client());
        JsonNode data = ContractJson.MAPPER.readTree(e.dataJson());
        assertEquals(ContractJson.MAPPER.readTree(ContractJson.write(delivered.data())), data);
        assertEquals("C: EHLO {x}", data.path("transcript").path(1).asText());
    }

    @Test
    void fieldsInAnyOrderAndTheStatusFromTheTypeWhenDataHasNone() {
        String value = """
                {"data":{"recipient":"c@x.example","extra":{"nested":[1,2,{"k":"v"}]},"messageId":"m-3","attempt":2},
                 "time":"2026-12-01T11:00:00Z","type":"postway.delivery.deferred","id":"e"}""";
        ProjectedEvent e = ProjectedEventReader.read(value).orElseThrow();
        assertEquals("DEFERRED", e.status());
        assertEquals(Instant.parse("2026-12-01T11:00:00Z"), e.at(), "without data.at the event's time");
        assertEquals(2, e.attempt());
        assertTrue(e.dataJson().startsWith("{\"recipient\"") && e.dataJson().endsWith("\"attempt\":2}"), e.dataJson());
    }

    @Test
    void whatIsNoDeliveryEventIsEmpty() {
        for (String value : new String[] {null, "", "not json", "[]", "{\"type\":\"postway.delivery.delivered\"}",
                "{\"data\":\"m\"}", "{\"data\":{\"messageId\":\"m\"}}", "{\"data\":{\"messageId\":1,\"recipient\":\"a@x\"}}",
                "{\"data\":{\"messageId\":\"m\",\"recipient\":\"a@x\",\"attempt\":\"two\"}}",
                "{\"data\":{\"messageId\":\"m\",\"recipient\":\"a@x\",\"at\":\"yesterday\"}}",
                "{\"data\":{\"messageId\":\"m\",\"recipient\":\"a@x\"}"}) {
            assertTrue(ProjectedEventReader.read(value).isEmpty(), String.valueOf(value));
        }
    }
}
