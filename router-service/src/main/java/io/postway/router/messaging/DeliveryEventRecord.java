package io.postway.router.messaging;

import io.postway.contract.event.CloudEventsKafka;
import io.postway.contract.event.DeliveryEvent;
import io.postway.contract.json.ContractJson;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The Kafka record of a delivery event, as the CloudEvents Kafka binding's structured mode has it
 * (deploy/docs/contract.md, "Delivery events"): key = messageId, value = the whole event as JSON,
 * header {@code content-type: application/cloudevents+json; charset=UTF-8}. Every event the router
 * writes goes through here.
 */
final class DeliveryEventRecord {

    private DeliveryEventRecord() {
    }

    static ProducerRecord<String, String> of(String topic, DeliveryEvent event) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, event.data().messageId(), ContractJson.write(event));
        record.headers().add(CloudEventsKafka.CONTENT_TYPE_HEADER, CloudEventsKafka.contentTypeHeaderValue());
        return record;
    }
}
