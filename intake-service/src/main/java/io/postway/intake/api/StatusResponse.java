package io.postway.intake.api;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** {@code GET /v1/messages/{id}}: the latest status of each recipient. */
public record StatusResponse(String id, List<Recipient> recipients) {

    public record Recipient(String address, String status, int attempts, JsonNode lastEvent) {
    }
}
