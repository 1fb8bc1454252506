package io.postway.router.infra;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.postway.contract.json.ContractJson;
import io.postway.contract.policy.PolicyRule;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** policy-service's {@code GET /internal/v1/published-policies}: the fallback when the topic cannot tell. */
public final class PolicyServiceClient implements Supplier<List<PolicyRule>> {

    private final HttpClient http;
    private final URI uri;
    private final String adminKey;
    private final Duration timeout;

    public PolicyServiceClient(String baseUrl, String adminKey, Duration timeout) {
        this.uri = URI.create(baseUrl.replaceAll("/+$", "") + "/internal/v1/published-policies");
        this.adminKey = adminKey;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public List<PolicyRule> get() {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Authorization", "Bearer " + adminKey)
                .header("Accept", "application/json").GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(uri + " answered " + response.statusCode());
            }
            return ContractJson.MAPPER.readValue(response.body(), new TypeReference<List<PolicyRule>>() { });
        } catch (JsonProcessingException e) {
            // e.g. a TLS mode this router does not know: taking none of it keeps failing closed
            throw new IllegalStateException(uri + " answered policies this router cannot read: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException(uri + " is not reachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking " + uri, e);
        }
    }
}
