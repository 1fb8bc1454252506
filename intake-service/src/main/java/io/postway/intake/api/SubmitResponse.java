package io.postway.intake.api;

/** The 202 answer of {@code POST /v1/messages}. */
public record SubmitResponse(String id, int recipients, String status) {

    /**
     * The answer's JSON, written directly: Jackson's writer cost 4 % of a 5 KB submission's CPU for
     * these three fields. The id is the intake's UUID and the status a constant: nothing to escape.
     */
    String json() {
        return "{\"id\":\"" + id + "\",\"recipients\":" + recipients + ",\"status\":\"" + status + "\"}";
    }
}
