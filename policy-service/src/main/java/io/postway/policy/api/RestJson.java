package io.postway.policy.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.postway.contract.json.Durations;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.time.Duration;

/**
 * The REST layer's JSON writes values in the contract's forms, so returned, stored and published
 * rules look alike: durations as {@code PT15M}/{@code P2D} ({@link Durations}), times as RFC 3339,
 * TLS versions as {@code TLSv1.2} (the contract's enum says so itself).
 */
@Singleton
public class RestJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new JavaTimeModule())
                .registerModule(new SimpleModule("postway-rest-durations").addSerializer(Duration.class, new DurationSerializer()))
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    private static final class DurationSerializer extends StdSerializer<Duration> {
        DurationSerializer() {
            super(Duration.class);
        }

        @Override
        public void serialize(Duration value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(Durations.format(value));
        }
    }
}
