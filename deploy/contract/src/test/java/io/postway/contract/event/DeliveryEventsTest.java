package io.postway.contract.event;

import com.fasterxml.jackson.databind.JsonNode;
import io.postway.contract.json.ContractJson;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeliveryEventsTest {

    static final Instant AT = Instant.parse("2026-11-28T10:00:01.123456Z");
    final DeliveryEvents events = new DeliveryEvents("delivery-service", "worker-1");

    @Test
    void theSameOutcomeOfTheSameAttemptHasTheSameIdWhoeverEmitsIt() {
        DeliveryEvent first = events.event(EventType.DEFERRED, "m1", "a@fabrikam.com", "fabrikam.com", 1, AT).build();
        DeliveryEvent replay = new DeliveryEvents("delivery-service", "worker-2")
                .event(EventType.DEFERRED, "m1", "a@fabrikam.com", "fabrikam.com", 1, AT.plusSeconds(5)).build();
        assertEquals(first.id(), replay.id(), "a replayed job emits an event a consumer can drop");
        assertNotEquals(first.id(), events.event(EventType.DEFERRED, "m1", "a@fabrikam.com", "fabrikam.com", 2, AT).build().id());
        assertNotEquals(first.id(), events.event(EventType.BOUNCED, "m1", "a@fabrikam.com", "fabrikam.com", 1, AT).build().id());
        assertNotEquals(first.id(), events.event(EventType.DEFERRED, "m1", "b@fabrikam.com", "fabrikam.com", 1, AT).build().id());
    }

    @Test
    void anEventWithoutASessionHasTheOneShapeOfNothing() {
        JsonNode json = ContractJson.MAPPER.valueToTree(
                events.event(EventType.EXPIRED, "m1", "a@fabrikam.com", "fabrikam.com", 3, AT).build());
        assertEquals("1.0", json.get("specversion").asText());
        assertEquals("/postway/delivery-service/worker-1", json.get("source").asText());
        assertEquals("postway.delivery.expired", json.get("type").asText());
        assertEquals("a@fabrikam.com", json.get("subject").asText());
        assertEquals("application/json", json.get("datacontenttype").asText());
        assertEquals("2026-11-28T10:00:01.123Z", json.get("time").asText(), "milliseconds, UTC");
        JsonNode data = json.get("data");
        assertEquals("EXPIRED", data.get("status").asText());
        assertTrue(data.get("smtp").isObject() && data.get("smtp").get("code").isNull());
        assertTrue(data.get("remote").isObject() && data.get("remote").get("host").isNull());
        assertFalse(data.get("tls").get("used").asBoolean());
        assertTrue(data.get("transcript").isArray() && data.get("transcript").isEmpty());
        assertTrue(data.has("nextAttemptAt") && data.get("nextAttemptAt").isNull(), "every field is written");
        assertEquals(json.get("time"), data.get("at"));
    }

    @Test
    void onlyADeferralPromisesANextAttempt() {
        assertThrows(IllegalArgumentException.class,
                () -> events.event(EventType.DELIVERED, "m1", "a@x.example", "x.example", 1, AT).nextAttemptAt(AT));
        DeliveryEvent e = events.event(EventType.DEFERRED, "m1", "a@x.example", "x.example", 1, AT)
                .nextAttemptAt(AT.plusSeconds(900)).transcript(List.of("S: 220 hi")).build();
        assertEquals(List.of("S: 220 hi"), e.data().transcript());
    }

    @Test
    void onlyTheAcceptedEventNamesTheClientAndTheOthersLeaveTheFieldOut() {
        assertThrows(IllegalArgumentException.class,
                () -> events.event(EventType.DELIVERED, "m1", "a@x.example", "x.example", 1, AT).client("local"));
        DeliveryEvent accepted = events.event(EventType.ACCEPTED, "m1", "a@x.example", "x.example", 0, AT).client("local").build();
        assertEquals("local", ContractJson.MAPPER.valueToTree(accepted).get("data").get("client").asText());
        assertEquals(accepted, ContractJson.read(ContractJson.write(accepted), DeliveryEvent.class));
        JsonNode delivered = ContractJson.MAPPER.valueToTree(events.event(EventType.DELIVERED, "m1", "a@x.example", "x.example", 1, AT).build());
        assertFalse(delivered.get("data").has("client"), "absent, not null: the other events are unchanged");
    }

    @Test
    void readsBackWhatItWrites() {
        DeliveryEvent e = events.event(EventType.ACCEPTED, "m1", "a@x.example", "x.example", 0, AT).submittedAt(AT).build();
        DeliveryEvent back = ContractJson.read(ContractJson.write(e), DeliveryEvent.class);
        assertEquals(e, back);
        assertEquals(EventType.ACCEPTED, back.eventType().orElseThrow());
    }

    @Test
    void everyTypeHasItsStatusAndTheTerminalOnesAreTheContracts() {
        assertEquals(List.of(EventType.DELIVERED, EventType.BOUNCED, EventType.EXPIRED),
                java.util.Arrays.stream(EventType.values()).filter(EventType::terminal).toList());
        assertEquals(EventType.DEFERRED, EventType.fromType("postway.delivery.deferred").orElseThrow());
        assertTrue(EventType.fromType("postway.delivery.unknown").isEmpty());
    }
}
