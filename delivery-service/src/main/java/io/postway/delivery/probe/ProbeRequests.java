package io.postway.delivery.probe;

import io.postway.contract.json.ContractJson;
import io.postway.contract.probe.ProbeRequest;
import io.postway.contract.probe.ProbeResult;
import io.postway.delivery.config.DeliveryConfig;
import io.postway.delivery.dns.Destinations;
import io.postway.delivery.dane.DaneLookup;
import io.postway.delivery.dns.DnsResolver;
import io.postway.delivery.sts.MtaStsPolicies;
import io.postway.delivery.sts.PolicyStore;
import io.postway.delivery.messaging.AckedSends;
import io.postway.delivery.tls.LegacyTlsProtocols;
import io.postway.delivery.tls.PeerCertificateCheck;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Answers {@code mail.probe-requests} with {@code mail.probe-results} (deploy/docs/contract.md):
 * one probe at a time per worker, on its own thread (the probe's sessions block, bounded by the
 * step timeout), never on the event loops that carry mail. The request is acked once the result is
 * acknowledged by Kafka. A result that cannot be written is not retried here: the request is
 * nacked and skipped ({@code failure-strategy=ignore}), and policy-service ends a probe that got no
 * answer in time as FAILED, so a probe can never stop the mail channels.
 */
@ApplicationScoped
public class ProbeRequests {

    private static final Logger LOG = Logger.getLogger(ProbeRequests.class);
    static final String REQUESTS = "mail-probe-requests";
    static final String RESULTS = "mail-probe-results";

    private final DomainProber prober;
    private final Emitter<String> results;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "delivery-probe");
        t.setDaemon(true);
        return t;
    });

    ProbeRequests(Vertx vertx, DeliveryConfig config, @Channel(RESULTS) Emitter<String> results) {
        if (config.tls().allowLegacyProtocols()) {
            // the same JVM-wide setting DeliveryService makes, so a probe can offer TLSv1 alone
            LegacyTlsProtocols.allowWherePolicyAsks();
        }
        DnsResolver dns = new DnsResolver(vertx, config.dns().server().filter(s -> !s.isBlank()).orElse(null), config.dns().timeout());
        PeerCertificateCheck check = PeerCertificateCheck.load(config.tls().trust().filter(s -> !s.isBlank()).map(Path::of).orElse(null));
        this.prober = new DomainProber(new Destinations(dns), check,
                config.heloName().filter(s -> !s.isBlank()).orElseGet(ProbeRequests::hostName),
                config.probe().stepTimeout(), config.probe().maxHosts(), config.probe().timeLimit(), DaneLookup.configured(vertx, config),
                // the probe's own memory cache: it reports what the domain publishes now
                new MtaStsPolicies(vertx, dns, check.webPkiTrustManager(), config.mtaSts().fetchTimeout(), config.mtaSts().httpsPort(),
                        PolicyStore.NONE, java.time.Clock.systemUTC()));
        this.results = results;
    }

    @Incoming(REQUESTS)
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    public CompletionStage<Void> onRequest(Message<String> msg) {
        ProbeRequest request;
        try {
            request = ContractJson.read(msg.getPayload(), ProbeRequest.class);
            if (request.probeId() == null || request.domain() == null || request.policy() == null) {
                throw new IllegalArgumentException("probeId, domain and policy are required");
            }
        } catch (RuntimeException e) {
            LOG.errorf("dropping an unreadable mail.probe-requests record: %s", e.getMessage());
            return msg.ack();
        }
        LOG.infof("probe %s of %s", request.probeId(), request.domain());
        return CompletableFuture.supplyAsync(() -> prober.probe(request), worker)
                .thenCompose(this::publish)
                .handle((v, t) -> t == null ? msg.ack() : msg.nack(t))
                .thenCompose(s -> s);
    }

    private CompletableFuture<Void> publish(ProbeResult result) {
        return AckedSends.send(results, ContractJson.write(result), OutgoingKafkaRecordMetadata.<String>builder().withKey(result.probeId()).build());
    }

    void onStop(@Observes ShutdownEvent event) {
        worker.shutdownNow();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }
}
