package io.postway.intake.messaging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.postway.intake.domain.ProjectedEvent;
import io.postway.intake.domain.RecipientStatus;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Optional;

/**
 * Reads what the status view needs from a delivery event's JSON in one streaming pass: the
 * CloudEvent's {@code type} and {@code time}, the few {@code data} fields that key and order the row,
 * and {@code data} itself as the text it arrived in (stored as the recipient's last event). No
 * {@code DeliveryEvent} is bound and written back per record: a DELIVERED event's transcript is
 * copied, not parsed into objects and serialised again. Anything that is not such an event (not
 * JSON, no object {@code data}, no message id or recipient, a field of the wrong type) is empty.
 */
final class ProjectedEventReader {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private ProjectedEventReader() {
    }

    static Optional<ProjectedEvent> read(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try (JsonParser p = JSON.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            String type = null;
            Instant time = null;
            Data data = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "type" -> type = text(p, t);
                    case "time" -> time = instant(text(p, t));
                    case "data" -> {
                        if (t != JsonToken.START_OBJECT) {
                            return Optional.empty();
                        }
                        data = data(p, value);
                    }
                    default -> p.skipChildren();
                }
            }
            if (data == null || data.messageId == null || data.recipient == null) {
                return Optional.empty();
            }
            return Optional.of(new ProjectedEvent(data.messageId, data.recipient, RecipientStatus.statusOf(type, data.status),
                    data.attempt, data.at != null ? data.at : time, data.json, data.client, data.submittedAt));
        } catch (IOException | WrongType | DateTimeException e) {
            return Optional.empty();
        }
    }

    private static final class Data {
        String messageId;
        String recipient;
        String status;
        int attempt;
        Instant at;
        String client;
        Instant submittedAt;
        String json;
    }

    /** The parser is on data's START_OBJECT; leaves it on the matching END_OBJECT. */
    private static Data data(JsonParser p, String value) throws IOException {
        Data d = new Data();
        int start = (int) p.currentTokenLocation().getCharOffset();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "messageId" -> d.messageId = text(p, t);
                case "recipient" -> d.recipient = text(p, t);
                case "status" -> d.status = text(p, t);
                case "attempt" -> d.attempt = integer(p, t);
                case "at" -> d.at = instant(text(p, t));
                case "client" -> d.client = text(p, t);
                case "submittedAt" -> d.submittedAt = instant(text(p, t));
                default -> p.skipChildren();
            }
        }
        int end = (int) p.currentTokenLocation().getCharOffset() + 1;
        d.json = value.substring(start, end);
        return d;
    }

    private static String text(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_STRING) {
            throw new WrongType();
        }
        return p.getText();
    }

    private static int integer(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return p.getIntValue();
        }
        if (t == JsonToken.VALUE_NULL) {
            return 0;
        }
        throw new WrongType();
    }

    private static Instant instant(String text) {
        return text == null ? null : Instant.parse(text);
    }

    /** A field the contract types otherwise: the record is no delivery event. */
    private static final class WrongType extends RuntimeException {
        WrongType() {
            super(null, null, false, false);
        }
    }
}
