package io.postway.delivery.bench;

import io.postway.contract.secret.SecretCipher;
import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.policy.TlsMode;
import io.postway.delivery.dns.DnsResolver;
import io.postway.delivery.domain.DeliveryJob;
import io.postway.delivery.domain.Outcome;
import io.postway.delivery.smtp.Policies;
import io.postway.delivery.smtp.SmtpDelivery;
import io.postway.delivery.smtp.Timeouts;
import io.postway.delivery.tls.PeerCertificateCheck;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivery's SMTP layer into an smtp-sink (no Kafka): {@code java -cp ... SinkThroughput host:port messages
 * inFlight maxConnections}. 5 KB messages, one recipient each, TLS disabled, sessions reused.
 * Prints messages per second; run smtp-source against the same sink for the comparison.
 */
public final class SinkThroughput {

    public static void main(String[] args) throws Exception {
        String sink = args.length > 0 ? args[0] : "127.0.0.1:25250";
        int total = args.length > 1 ? Integer.parseInt(args[1]) : 20000;
        int inFlight = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        int maxConnections = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        Vertx vertx = Vertx.vertx();
        Duration t = Duration.ofSeconds(30);
        SmtpDelivery delivery = new SmtpDelivery(vertx, new DnsResolver(vertx, null, Duration.ofSeconds(3)), SecretCipher.fromConfigOrNone(null),
                PeerCertificateCheck.load(null), new SmtpDelivery.Settings("bench.postway.test", new Timeouts(t, t, t, t),
                Duration.ofSeconds(60), Duration.ofSeconds(30)));
        EffectivePolicy policy = Policies.policy().mode(TlsMode.DISABLED).smartHost(sink).limits(maxConnections, 1_000_000).build();
        StringBuilder body = new StringBuilder("From: bench@contoso.test\r\nTo: sink@sink.test\r\nSubject: bench\r\n\r\n");
        while (body.length() < 5120) {
            body.append("0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz\r\n");
        }
        byte[] content = body.toString().getBytes(StandardCharsets.US_ASCII);

        for (int round = 0; round < 2; round++) { // the first round warms up the JIT
            int n = round == 0 ? Math.min(2000, total) : total;
            AtomicInteger started = new AtomicInteger();
            AtomicLong delivered = new AtomicLong();
            Promise<Void> done = Promise.promise();
            AtomicInteger finished = new AtomicInteger();
            long t0 = System.nanoTime();
            Runnable[] next = new Runnable[1];
            next[0] = () -> {
                int i = started.getAndIncrement();
                if (i >= n) {
                    return;
                }
                DeliveryJob job = new DeliveryJob("m" + i, "sink.test", "bench@contoso.test", List.of("sink" + i + "@sink.test"), 1, policy, content);
                delivery.deliver(job).onComplete(ar -> {
                    if (ar.succeeded() && ar.result().get(0).outcome() == Outcome.DELIVERED) {
                        delivered.incrementAndGet();
                    } else if (ar.succeeded() && delivered.get() == 0) {
                        System.err.println(ar.result().get(0).diagnosis());
                    }
                    if (finished.incrementAndGet() == n) {
                        done.complete();
                    } else {
                        next[0].run();
                    }
                });
            };
            for (int k = 0; k < inFlight; k++) {
                next[0].run();
            }
            Future<Void> f = done.future();
            f.toCompletionStage().toCompletableFuture().get();
            double secs = (System.nanoTime() - t0) / 1e9;
            if (round == 1) {
                System.out.printf("delivery SMTP layer: %d messages (%d delivered) in %.2f s = %.0f msg/s (in flight %d, maxConnections %d)%n",
                        n, delivered.get(), secs, n / secs, inFlight, maxConnections);
            }
        }
        delivery.close();
        vertx.close();
    }
}
