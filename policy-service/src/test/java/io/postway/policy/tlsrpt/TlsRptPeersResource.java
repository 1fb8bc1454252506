package io.postway.policy.tlsrpt;

import io.postway.testkit.LocalInfra;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Before the service starts: the TLS-RPT peers run ({@code deploy/peers/peers tlsrpt-start}, idempotent:
 * DNS on 127.0.0.1:5357, the https receiver on 127.0.0.1:10443), the service trusts their test CA,
 * and the test event topic exists (the broker creates no topic itself, and the reader subscribes at start).
 */
public class TlsRptPeersResource implements QuarkusTestResourceLifecycleManager {

    public static final String EVENTS_TOPIC = "postway-test.policy-service.delivery-events";

    public static Path runDir() {
        return LocalInfra.repositoryRoot().resolve("deploy/peers/.run-tlsrpt");
    }

    @Override
    public Map<String, String> start() {
        Path root = LocalInfra.repositoryRoot();
        try {
            Process p = new ProcessBuilder(root.resolve("deploy/peers/peers").toString(), "tlsrpt-start")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("deploy/peers/peers tlsrpt-start failed:\n" + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, LocalInfra.get().kafkaBootstrap))) {
            admin.createTopics(List.of(new NewTopic(EVENTS_TOPIC, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(e);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Map.of("postway.policy.tls-reports.trust", runDir().resolve("tls/ca.pem").toString());
    }

    @Override
    public void stop() {
        // the peers are shared by every test run on this machine, like the SMTP peers
    }
}
