package io.postway.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Grants a local broker the ACLs of the production Strimzi {@code KafkaUser}s
 * ({@code deploy/k8s/overlays/prod/kafka-users.yaml}), to the SCRAM users of the same names: the
 * local stack with {@code POSTWAY_KAFKA_SASL=scram} thereby runs every service under exactly the
 * rights it gets in production, so a missing ACL shows up locally.
 *
 * <p>Usage: {@code KafkaUserAcls <bootstrap-servers> <admin-client.properties> <kafka-users.yaml>}.
 */
public final class KafkaUserAcls {

    public static void main(String[] args) throws Exception {
        Properties client = new Properties();
        try (var in = Files.newInputStream(Path.of(args[1]))) {
            client.load(in);
        }
        client.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        List<AclBinding> acls = read(Path.of(args[2]));
        try (Admin admin = Admin.create(client)) {
            admin.createAcls(acls).all().get();
        }
        System.out.println("granted " + acls.size() + " ACLs");
    }

    /** Every {@code spec.authorization.acls} entry of every {@code KafkaUser} in the file. */
    static List<AclBinding> read(Path kafkaUsers) throws IOException {
        List<AclBinding> acls = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class).readValues(kafkaUsers.toFile())) {
            while (docs.hasNext()) {
                JsonNode user = docs.next();
                if (user == null || !"KafkaUser".equals(user.path("kind").asText())) {
                    continue;
                }
                String principal = "User:" + user.path("metadata").path("name").asText();
                for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
                    JsonNode r = acl.path("resource");
                    ResourcePattern pattern = new ResourcePattern(
                            ResourceType.fromString(r.path("type").asText().toUpperCase(Locale.ROOT)),
                            r.path("name").asText(),
                            PatternType.fromString(r.path("patternType").asText("literal").toUpperCase(Locale.ROOT)));
                    for (JsonNode op : acl.path("operations")) {
                        // Strimzi spells operations in camel case (DescribeConfigs), Kafka's enum in snake case
                        AclOperation operation = AclOperation.fromString(
                                op.asText().replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
                        if (operation == AclOperation.UNKNOWN) {
                            throw new IllegalArgumentException("unknown operation " + op + " for " + principal);
                        }
                        acls.add(new AclBinding(pattern, new AccessControlEntry(
                                principal, acl.path("host").asText("*"), operation, AclPermissionType.ALLOW)));
                    }
                }
            }
        }
        return acls;
    }
}
