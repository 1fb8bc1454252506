package io.postway.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.postway.contract.json.ContractJson;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Every REST API writes values in the contract's forms, so what a service returns, stores and
 * publishes looks alike: durations as {@code PT15M}/{@code P2D}, times as RFC 3339 strings, TLS
 * versions as {@code TLSv1.2} (the contract's types say so themselves).
 */
@Singleton
public class RestJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        ContractJson.configure(mapper);
    }
}
