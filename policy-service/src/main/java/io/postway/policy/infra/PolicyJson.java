package io.postway.policy.infra;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.postway.policy.domain.Durations;
import io.postway.policy.domain.PolicyRule;
import io.postway.policy.domain.TlsVersion;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.time.Duration;

/**
 * The JSON forms of policies: TLS versions as {@code TLSv1.2}, durations as {@code PT15M}/{@code P2D},
 * times as RFC 3339. The same module is installed in the REST layer's mapper, so stored, published
 * and returned values look alike.
 */
@Singleton
public class PolicyJson implements ObjectMapperCustomizer {

    public static final ObjectMapper MAPPER = configure(new ObjectMapper());

    @Override
    public void customize(ObjectMapper mapper) {
        configure(mapper);
    }

    static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.registerModule(new JavaTimeModule())
                .registerModule(policyModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    private static SimpleModule policyModule() {
        SimpleModule m = new SimpleModule("postway-policy");
        m.addSerializer(TlsVersion.class, new JsonSerializer<>() {
            @Override
            public void serialize(TlsVersion v, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeString(v.wireName());
            }
        });
        m.addDeserializer(TlsVersion.class, new JsonDeserializer<>() {
            @Override
            public TlsVersion deserialize(JsonParser p, DeserializationContext c) throws IOException {
                String text = p.getValueAsString();
                return TlsVersion.fromWireName(text).orElseThrow(() -> c.weirdStringException(text, TlsVersion.class, "unknown TLS version"));
            }
        });
        m.addSerializer(Duration.class, new JsonSerializer<>() {
            @Override
            public void serialize(Duration d, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeString(Durations.format(d));
            }
        });
        m.addDeserializer(Duration.class, new JsonDeserializer<>() {
            @Override
            public Duration deserialize(JsonParser p, DeserializationContext c) throws IOException {
                String text = p.getValueAsString();
                return Durations.parse(text).orElseThrow(() -> c.weirdStringException(text, Duration.class, "not an ISO-8601 duration"));
            }
        });
        return m;
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
        }
    }

    public static PolicyRule readRule(String json) {
        try {
            return MAPPER.readValue(json, PolicyRule.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored policy is not readable", e);
        }
    }
}
