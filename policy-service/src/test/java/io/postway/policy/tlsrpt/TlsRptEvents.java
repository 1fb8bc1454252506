package io.postway.policy.tlsrpt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.postway.contract.event.DeliveryEvent;
import io.postway.contract.event.DeliveryEvents;
import io.postway.contract.event.EventType;
import io.postway.contract.json.ContractJson;
import io.postway.contract.tlsrpt.ResultType;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Delivery events as delivery writes them (the contract's builder), for the TLS-RPT tests. */
public final class TlsRptEvents {

    static final DeliveryEvents DELIVERY = new DeliveryEvents("delivery-service", "delivery-test");

    private TlsRptEvents() {
    }

    /** A delivered event over TLS to {@code mx} of {@code domain}. */
    public static ObjectNode delivered(String domain, String mx, Instant at) {
        return json(DELIVERY.event(EventType.DELIVERED, UUID.randomUUID().toString(), "user@" + domain, domain, 1, at)
                .smtp(new DeliveryEvent.Smtp(250, "2.0.0", "Ok", "DONE"))
                .remote(new DeliveryEvent.Remote(mx, "127.0.0.1", 25, "MX"))
                .tls(new DeliveryEvent.Tls(true, "TLSv1.3", "TLS_AES_256_GCM_SHA384", true, "CN=" + mx, "CN=CA", at, false))
                .diagnosis("Delivered.").submittedAt(at).build());
    }

    /** A deferred event of a TLS failure of {@code type} (null: a failure that is none, e.g. a 451). */
    public static ObjectNode deferred(String domain, String mx, Instant at, ResultType type) {
        return json(DELIVERY.event(EventType.DEFERRED, UUID.randomUUID().toString(), "user@" + domain, domain, 1, at)
                .smtp(new DeliveryEvent.Smtp(null, null, null, "TLS_HANDSHAKE"))
                .remote(new DeliveryEvent.Remote(mx, "127.0.0.1", 25, "MX"))
                .diagnosis("The TLS handshake with " + mx + " failed.").failureType(type)
                .nextAttemptAt(at.plusSeconds(900)).submittedAt(at).build());
    }

    /** Adds {@code data.mtaSts} as helper mtasts' events carry it. */
    public static ObjectNode withMtaSts(ObjectNode event, String status, String policy, List<String> mx, String failure) {
        ObjectNode sts = ((ObjectNode) event.get("data")).putObject("mtaSts");
        sts.put("status", status).put("policyId", "20261201").put("policy", policy);
        mx.forEach(sts.putArray("mxPatterns")::add);
        sts.put("failure", failure).putNull("reason");
        return event;
    }

    /** Adds {@code data.dane} as helper dane's events carry it. */
    public static ObjectNode withDane(ObjectNode event, String status, String tlsaName, List<String> records, String failure) {
        ObjectNode dane = ((ObjectNode) event.get("data")).putObject("dane");
        dane.put("status", status).put("tlsaName", tlsaName);
        records.forEach(dane.putArray("records")::add);
        dane.put("failure", failure);
        return event;
    }

    static ObjectNode json(DeliveryEvent e) {
        return (ObjectNode) ContractJson.MAPPER.valueToTree(e);
    }

    static JsonNode node(String json) throws Exception {
        return ContractJson.MAPPER.readTree(json);
    }
}
