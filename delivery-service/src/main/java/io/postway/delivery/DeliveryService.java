package io.postway.delivery;

import io.postway.contract.secret.SecretCipher;
import io.postway.delivery.config.DeliveryConfig;
import io.postway.delivery.dane.DaneLookup;
import io.postway.delivery.dns.DnsResolver;
import io.postway.delivery.domain.DeliveryJob;
import io.postway.delivery.domain.RecipientResult;
import io.postway.delivery.smtp.SmtpDelivery;
import io.postway.delivery.sts.JdbcPolicyStore;
import io.postway.delivery.sts.MtaStsPolicies;
import io.postway.delivery.smtp.Timeouts;
import io.postway.delivery.tls.LegacyTlsProtocols;
import io.postway.delivery.tls.PeerCertificateCheck;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.net.InetAddress;
import java.time.Clock;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * delivery-service — SMTP delivery under per-domain policy.
 *
 * <p><b>Reads</b> {@code mail.outbound} (consumer group {@code delivery}; add replicas to scale):
 * one job = a message's exact bytes, the recipients of one domain, the effective policy, the attempt.
 * <b>Writes</b> one CloudEvent per recipient per outcome to {@code mail.delivery-events}
 * (delivered, deferred, bounced) and the deferred recipients to {@code mail.deferred}.
 * <b>Decides</b> where to connect (smart host, MX in preference order, implicit MX; null MX bounces),
 * how (TLS mode, versions, certificate verification, AUTH), and whether a reply delivers (2xx),
 * bounces (5xx) or defers (4xx, timeouts, connection, TLS); it writes the diagnosis an
 * administrator acts on. <b>Delegates</b> scheduling of retries and expiry to router-service
 * (via {@code mail.deferred}); policy storage to policy-service (the job carries the policy).
 *
 * <p>A job's offset is committed only after its events and deferrals are acknowledged by Kafka,
 * so a worker that dies mid-session loses nothing (a recipient may be attempted twice).
 */
@ApplicationScoped
public class DeliveryService {

    private static final Logger LOG = Logger.getLogger(DeliveryService.class);

    private final SmtpDelivery delivery;
    private final String instance;

    DeliveryService(Vertx vertx, DeliveryConfig config, DeliveryMetrics metrics, DataSource dataSource, Flyway flyway) {
        if (config.tls().allowLegacyProtocols()) {
            LegacyTlsProtocols.allowWherePolicyAsks();
        }
        String host = hostName();
        this.instance = instanceName(config);
        DnsResolver dns = new DnsResolver(vertx, config.dns().server().filter(s -> !s.isBlank()).orElse(null), config.dns().timeout());
        PeerCertificateCheck check = PeerCertificateCheck.load(config.tls().trust().filter(s -> !s.isBlank()).map(Path::of).orElse(null));
        var t = config.timeout();
        this.delivery = new SmtpDelivery(vertx, dns, SecretCipher.fromConfigOrNone(config.secretKeys().orElse(null)), check,
                new SmtpDelivery.Settings(config.heloName().filter(s -> !s.isBlank()).orElse(host),
                        new Timeouts(t.connect(), t.greeting(), t.command(), t.data()),
                        config.pool().waitTimeout(), config.pool().idleTimeout()), metrics,
                DaneLookup.configured(vertx, config),
                new MtaStsPolicies(vertx, dns, check.webPkiTrustManager(), config.mtaSts().fetchTimeout(), config.mtaSts().httpsPort(),
                        new JdbcPolicyStore(vertx, dataSource, flyway::migrate), Clock.systemUTC()));
    }

    void onStart(@Observes StartupEvent event) {
        LOG.infof("delivery-service started as instance %s", instance);
    }

    void onStop(@Observes ShutdownEvent event) {
        delivery.close();
    }

    public CompletionStage<List<RecipientResult>> deliver(DeliveryJob job) {
        return delivery.deliver(job).toCompletionStage();
    }

    /** Every recipient deferred because the job's policy cannot be applied ({@code problem} says why), with the diagnosis. */
    public static List<RecipientResult> policyUnusable(DeliveryJob job, String problem) {
        return SmtpDelivery.policyUnusable(job, problem);
    }

    /** Names this worker in its events' source ({@code /postway/delivery-service/<instance>}): the configured name, else the host's. */
    public static String instanceName(DeliveryConfig config) {
        return config.instance().filter(s -> !s.isBlank()).orElseGet(DeliveryService::hostName);
    }

    public int openConnections() {
        return delivery.openConnections();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }
}
