package io.postway.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import io.postway.contract.Topics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deployment's topics and ACLs against the contract and the services' own configuration, so a
 * new topic or channel cannot land without its KafkaTopic, its line in dev's topics Job and its ACL:
 * every topic of {@link Topics} is a prod {@code KafkaTopic} and is created by dev's Job (and
 * nothing else is); {@code mail.outbound-handled} has as many partitions as {@code mail.outbound}
 * (co-partitioned); each service's {@code KafkaUser} grants exactly what its SmallRye channels
 * ({@code mp.messaging.*}) and its plain Kafka clients ({@link #PLAIN_CLIENTS}) use, no more.
 */
class KafkaTopicsAndAclsTest {

    private static final Set<String> CONSUME = Set.of("Read", "Describe");
    private static final Set<String> PRODUCE = Set.of("Write", "Describe");
    private static final Pattern DEV_CREATE = Pattern.compile("(?m)^\\s*create (\\S+) (\\d+)");
    private static final Pattern CHANNEL_TOPIC = Pattern.compile("mp\\.messaging\\.(incoming|outgoing)\\.([^.]+)\\.topic");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^:}]+)(?::([^}]*))?}");

    /** A Kafka client a service builds itself (not a SmallRye channel); topics and groups by configuration key or contract name. */
    record PlainClient(String code, String topic, String group, Set<String> operations) {
    }

    /**
     * The plain clients, by service. A value starting with {@code postway.} is a configuration key
     * (its %prod value or its {@code @ConfigMapping} default), anything else a topic of the contract.
     */
    static final Map<String, List<PlainClient>> PLAIN_CLIENTS = Map.of(
            "intake-service", List.of(
                    new PlainClient("MailPublisher", Topics.SUBMITTED, null, PRODUCE),
                    new PlainClient("MailPublisher", Topics.DELIVERY_EVENTS, null, PRODUCE)),
            "router-service", List.of(
                    // assigned partitions, no group: every replica reads every rule
                    new PlainClient("PolicyChangeConsumer", "postway.router.topics.policy-changes", null, CONSUME),
                    // jobs and the router's events: one plain producer (issue 11: no emitters)
                    new PlainClient("KafkaRecordSink", "postway.router.topics.outbound", null, PRODUCE),
                    new PlainClient("KafkaRecordSink", "postway.router.topics.delivery-events", null, PRODUCE)),
            "policy-service", List.of(
                    // creates the topic compacted when missing, or makes it compacted
                    new PlainClient("PolicyChangePublisher", "postway.policy.topic.name", null,
                            Set.of("Write", "Describe", "Create", "DescribeConfigs", "AlterConfigs")),
                    new PlainClient("ProbeRequestPublisher", "postway.policy.probe.requests-topic", null, PRODUCE),
                    new PlainClient("ProbeResultReader", "postway.policy.probe.results-topic", "postway.policy.probe.results-group", CONSUME),
                    // "this override can go" events, from the review outbox (the topic is not created by the service)
                    new PlainClient("PolicyReviewPublisher", "postway.policy.review.events-topic", null, PRODUCE),
                    // TLS-RPT: records each delivery attempt's TLS result
                    new PlainClient("DeliveryEventReader", "postway.policy.tls-reports.events-topic",
                            "postway.policy.tls-reports.events-group", CONSUME)),
            "delivery-service", List.of(
                    // the done-markers are read back on assignment (assigned partitions, no group)
                    new PlainClient("HandledJobs", "postway.delivery.handled-jobs.topic", null, CONSUME),
                    // a job's events, deferrals and done-marker: one plain producer (issue 11: no emitters)
                    new PlainClient("KafkaOutputs", "postway.delivery.topics.delivery-events", null, PRODUCE),
                    new PlainClient("KafkaOutputs", "postway.delivery.topics.deferred", null, PRODUCE),
                    new PlainClient("KafkaOutputs", "postway.delivery.handled-jobs.topic", null, PRODUCE)));

    /** Plain clients that touch no topic or group: describeCluster needs only a logged-in user. */
    // CommittingLoop (policy) runs the consumers DeliveryEventReader and ProbeResultReader build: the ACLs are theirs
    static final Set<String> NEEDS_NO_ACL = Set.of("KafkaReadinessCheck", "CommittingLoop");

    private static Map<String, ServiceConfig> services;

    @BeforeAll
    static void readServices() {
        services = ServiceConfig.all();
    }

    @Test
    void everyContractTopicIsAKafkaTopicInProdAndNothingElseIs() {
        Set<String> contract = contractTopics();
        assertTrue(contract.contains(Topics.OUTBOUND_HANDLED) && contract.contains(Topics.PROBE_RESULTS), contract.toString());
        for (String overlay : overlaysWith("KafkaTopic")) {
            assertEquals(contract, new TreeSet<>(prodPartitions(overlay).keySet()), overlay + ": KafkaTopics against io.postway.contract.Topics");
        }
        assertFalse(overlaysWith("KafkaTopic").isEmpty(), "prod declares its topics as KafkaTopics");
    }

    @Test
    void devsTopicsJobCreatesEveryContractTopic() {
        assertEquals(contractTopics(), new TreeSet<>(devPartitions().keySet()), "dev Job/create-topics against io.postway.contract.Topics");
    }

    @Test
    void doneMarkersHaveAsManyPartitionsAsTheJobs() {
        Map<String, Integer> dev = devPartitions();
        assertEquals(dev.get(Topics.OUTBOUND), dev.get(Topics.OUTBOUND_HANDLED), "dev: mail.outbound-handled is co-partitioned with mail.outbound");
        for (String overlay : overlaysWith("KafkaTopic")) {
            Map<String, Integer> prod = prodPartitions(overlay);
            assertEquals(prod.get(Topics.OUTBOUND), prod.get(Topics.OUTBOUND_HANDLED),
                    overlay + ": mail.outbound-handled is co-partitioned with mail.outbound");
        }
    }

    @Test
    void theUsesAreDerivedFromChannelsAndPlainClients() {
        // the check can fail: it sees what delivery reads and writes through channels and its own reader
        Map<String, Set<String>> delivery = used("delivery-service");
        assertEquals(Set.of("Read", "Write", "Describe"), delivery.get("topic:" + Topics.OUTBOUND_HANDLED));
        assertEquals(CONSUME, delivery.get("group:delivery-probe"));
        assertEquals(PRODUCE, delivery.get("topic:" + Topics.PROBE_RESULTS));
        assertEquals(CONSUME, used("policy-service").get("group:policy-probe-results"));
        assertEquals(CONSUME, used("router-service").get("topic:" + Topics.POLICY_CHANGES));
    }

    @Test
    void everyClassThatBuildsItsOwnKafkaClientIsListed() {
        for (var service : services.values()) {
            Set<String> listed = new TreeSet<>(NEEDS_NO_ACL);
            PLAIN_CLIENTS.get(service.name).forEach(c -> listed.add(c.code()));
            Set<String> found = new TreeSet<>(service.plainKafkaClients);
            assertTrue(listed.containsAll(found), service.name + ": classes with their own Kafka clients " + found
                    + ", listed in PLAIN_CLIENTS/NEEDS_NO_ACL " + listed);
        }
        assertTrue(services.get("delivery-service").plainKafkaClients.contains("HandledJobs"), "the scan finds delivery's marker reader");
    }

    @Test
    void eachServicesKafkaUserGrantsExactlyWhatItUses() {
        assertEquals(PLAIN_CLIENTS.keySet(), services.keySet(), "every service's plain clients are listed");
        for (String overlay : overlaysWith("KafkaUser")) {
            for (String service : services.keySet()) {
                String user = "postway-" + service.substring(0, service.indexOf('-'));
                assertEquals(used(service), granted(overlay, user), overlay + " KafkaUser/" + user + " (resource -> operations) against " + service
                        + "'s channels and plain clients");
            }
        }
    }

    /** What a service does with Kafka: "topic:name" / "group:name" -> operations. */
    static Map<String, Set<String>> used(String service) {
        ServiceConfig config = services.get(service);
        Map<String, Set<String>> used = new TreeMap<>();
        for (String key : config.properties.stringPropertyNames()) {
            Matcher m = CHANNEL_TOPIC.matcher(key);
            if (!m.matches()) {
                continue;
            }
            String topic = value(config, key);
            String prefix = "mp.messaging." + m.group(1) + "." + m.group(2) + ".";
            if (m.group(1).equals("incoming")) {
                add(used, "topic:" + topic, CONSUME);
                String group = value(config, prefix + "group.id");
                assertTrue(group != null, service + ": channel " + m.group(2) + " names its group.id");
                add(used, "group:" + group, CONSUME);
            } else {
                add(used, "topic:" + topic, PRODUCE);
            }
        }
        for (PlainClient client : PLAIN_CLIENTS.get(service)) {
            add(used, "topic:" + nameOf(config, client.topic()), client.operations());
            if (client.group() != null) {
                add(used, "group:" + nameOf(config, client.group()), CONSUME);
            }
        }
        return used;
    }

    /** What one KafkaUser of the overlay is allowed: "topic:name" / "group:name" -> operations. */
    static Map<String, Set<String>> granted(String overlay, String user) {
        JsonNode kafkaUser = Overlays.ofKind(overlay, "KafkaUser").stream()
                .filter(u -> user.equals(u.path("metadata").path("name").asText())).findFirst()
                .orElseThrow(() -> new AssertionError(overlay + " has no KafkaUser " + user));
        Map<String, Set<String>> granted = new TreeMap<>();
        for (JsonNode acl : kafkaUser.path("spec").path("authorization").path("acls")) {
            JsonNode r = acl.path("resource");
            assertEquals("literal", r.path("patternType").asText(), user + ": only literal resources");
            Set<String> ops = new TreeSet<>();
            acl.path("operations").forEach(o -> ops.add(o.asText()));
            add(granted, r.path("type").asText() + ":" + r.path("name").asText(), ops);
        }
        return granted;
    }

    private static String nameOf(ServiceConfig config, String topicOrKey) {
        if (!topicOrKey.startsWith("postway.")) {
            return topicOrKey;
        }
        String value = value(config, topicOrKey);
        assertTrue(value != null, config.name + ": no value for " + topicOrKey);
        return value;
    }

    /** A key's %prod value with {@code ${key:default}} references resolved (properties, then @ConfigMapping defaults). */
    private static String value(ServiceConfig config, String key) {
        String raw = config.properties.getProperty("%prod." + key, config.properties.getProperty(key, config.mappingDefaults.get(key)));
        if (raw == null) {
            return null;
        }
        Matcher m = REFERENCE.matcher(raw);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String referenced = value(config, m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(referenced != null ? referenced : m.group(2) == null ? "" : m.group(2)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static void add(Map<String, Set<String>> acls, String resource, Set<String> operations) {
        acls.computeIfAbsent(resource, r -> new TreeSet<>()).addAll(operations);
    }

    static Set<String> contractTopics() {
        Set<String> topics = new TreeSet<>();
        for (Field f : Topics.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                try {
                    topics.add((String) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return topics;
    }

    private static List<String> overlaysWith(String kind) {
        return Overlays.names().stream().filter(o -> !Overlays.ofKind(o, kind).isEmpty()).toList();
    }

    private static Map<String, Integer> prodPartitions(String overlay) {
        Map<String, Integer> partitions = new TreeMap<>();
        for (JsonNode t : Overlays.ofKind(overlay, "KafkaTopic")) {
            partitions.put(t.path("spec").path("topicName").asText(), t.path("spec").path("partitions").asInt());
        }
        return partitions;
    }

    /** The topics dev's Job creates, from its {@code create <topic> <partitions>} lines. */
    private static Map<String, Integer> devPartitions() {
        JsonNode job = Overlays.ofKind("dev", "Job").stream()
                .filter(j -> "create-topics".equals(j.path("metadata").path("name").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("dev has no Job create-topics"));
        Map<String, Integer> partitions = new TreeMap<>();
        for (JsonNode arg : job.path("spec").path("template").path("spec").path("containers").get(0).path("command")) {
            Matcher m = DEV_CREATE.matcher(arg.asText());
            while (m.find()) {
                partitions.put(m.group(1), Integer.parseInt(m.group(2)));
            }
        }
        return partitions;
    }
}
