package io.postway.delivery.smtp;

import io.postway.contract.OutboundKey;
import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.secret.SecretCipher;
import io.postway.delivery.sts.MtaStsPolicies;
import io.postway.delivery.dane.DaneLookup;
import io.postway.delivery.dns.DnsResolver;
import io.postway.delivery.domain.DeliveryJob;
import io.postway.delivery.domain.RecipientResult;
import io.postway.delivery.tls.LegacyTlsProtocols;
import io.postway.delivery.tls.PeerCertificateCheck;
import io.vertx.core.Vertx;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** SmtpDelivery on its own Vert.x instance, with the peers' DNS and (optionally) their CA: no Kafka, no Quarkus. */
public final class DeliveryHarness implements AutoCloseable {

    public static final String KEYS = "k1:" + Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
    private static final SecretCipher SEALER = SecretCipher.fromConfig(KEYS);

    static {
        LegacyTlsProtocols.allowWherePolicyAsks();
    }

    public final Vertx vertx = Vertx.vertx();
    public final SmtpDelivery delivery;

    public DeliveryHarness(Path trust, Duration timeout) {
        this(trust, timeout, Peers.dns(), v -> DaneLookup.NONE);
    }

    /** With another DNS server: the MTA-STS peers' (sts.StsPeers), which forwards peer.test to the shared one. */
    public DeliveryHarness(String dns, Path trust, Duration timeout) {
        this(trust, timeout, dns, v -> DaneLookup.NONE);
    }

    /** With DANE: MX/A look-ups through {@code dnsServer}, TLSA look-ups through the lookup {@code dane} makes. */
    public DeliveryHarness(Path trust, Duration timeout, String dnsServer, Function<Vertx, DaneLookup> dane) {
        DnsResolver dns = new DnsResolver(vertx, dnsServer, Duration.ofSeconds(3));
        PeerCertificateCheck check = PeerCertificateCheck.load(trust);
        delivery = new SmtpDelivery(vertx, dns, SecretCipher.fromConfigOrNone(KEYS),
                check,
                new SmtpDelivery.Settings("relay.postway.test", new Timeouts(timeout, timeout, timeout, timeout),
                        Duration.ofSeconds(10), Duration.ofSeconds(30)), SessionObserver.NONE, dane.apply(vertx),
                MtaStsPolicies.inMemory(vertx, dns, check.webPkiTrustManager()));
    }

    public static String seal(String password, String rule) {
        return SEALER.encrypt(password, rule);
    }

    public static String unique(String local, String domain) {
        return local + "-" + UUID.randomUUID().toString().substring(0, 8) + "@" + domain;
    }

    public static byte[] message(String to, String subject) {
        return ("From: it@contoso.test\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nMessage-ID: <"
                + UUID.randomUUID() + "@contoso.test>\r\n\r\nHello.\r\n.leading dot line\r\n").getBytes(StandardCharsets.UTF_8);
    }

    public List<RecipientResult> deliver(String domain, List<String> recipients, EffectivePolicy policy, byte[] content) throws Exception {
        return deliver(domain, recipients, policy, content, OutboundKey.Slot.WHOLE);
    }

    /** A job of one slot of a split (hot) domain. */
    public List<RecipientResult> deliver(String domain, List<String> recipients, EffectivePolicy policy, byte[] content,
                                         OutboundKey.Slot slot) throws Exception {
        DeliveryJob job = new DeliveryJob(UUID.randomUUID().toString(), domain, "it@contoso.test", recipients, 1, policy, content, slot);
        return delivery.deliver(job).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    public RecipientResult deliverOne(String recipient, EffectivePolicy policy) throws Exception {
        String domain = recipient.substring(recipient.indexOf('@') + 1);
        return deliver(domain, List.of(recipient), policy, message(recipient, "test")).get(0);
    }

    @Override
    public void close() throws Exception {
        delivery.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
