import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Vert.x Mail client on its own into the bench's smtp-sink, configured as delivery-service
 * configures it (pipelining, kept-alive connections, TLS off) but without Postway around it: the
 * ceiling the delivery figure is bounded by. Prints warmup/sent/seconds/msgs_per_s lines, and with
 * {@code -Dbench.pids=name:pid,...} the CPU each process spent while timed ({@code BenchCpu}).
 *
 *   java -cp 'delivery-service/target/quarkus-app/lib/main/*' MailClientCeiling PORT MESSAGES CONNECTIONS PER_CONN LENGTH WARMUP
 */
final class MailClientCeiling {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int messages = Integer.parseInt(args[1]);
        int connections = Integer.parseInt(args[2]);
        int perConnection = Integer.parseInt(args[3]);
        int length = Integer.parseInt(args[4]);
        int warmup = Integer.parseInt(args[5]);
        Vertx vertx = Vertx.vertx();
        MailClient client = MailClient.create(vertx, new MailConfig().setHostname("127.0.0.1").setPort(port)
                .setStarttls(StartTLSOptions.DISABLED).setOwnHostname("bench.postway.test")
                .setMaxPoolSize(connections).setKeepAlive(true).setMaxMailsPerConnection(perConnection)
                .setPipelining(true).setAllowRcptErrors(true));
        StringBuilder body = new StringBuilder();
        while (body.length() < length) {
            body.append("x".repeat(75)).append('\n');
        }
        MailMessage message = new MailMessage().setFrom("bench@postway.test").setTo(List.of("sink@ceiling.bench.test"))
                .setSubject("ceiling").setText(body.substring(0, length));
        run(client, message, warmup, connections * 2);
        System.out.println("warmup=" + warmup);
        java.util.Map<String, Long> cpu0 = BenchCpu.ticks();
        long t0 = System.nanoTime();
        int sent = run(client, message, messages, connections * 2);
        double secs = (System.nanoTime() - t0) / 1e9;
        BenchCpu.print(cpu0, BenchCpu.ticks());
        System.out.printf("sent=%d%nseconds=%.3f%nmsgs_per_s=%.1f%n", sent, secs, sent / secs);
        client.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        System.exit(sent == messages ? 0 : 1);
    }

    /** Sends {@code count} messages keeping {@code inFlight} sends going; returns how many succeeded. */
    private static int run(MailClient client, MailMessage message, int count, int inFlight) throws Exception {
        AtomicInteger started = new AtomicInteger(), ok = new AtomicInteger(), done = new AtomicInteger();
        Promise<Void> all = Promise.promise();
        Runnable[] next = new Runnable[1];
        next[0] = () -> {
            if (started.getAndIncrement() >= count) {
                return;
            }
            client.sendMail(message).onComplete(ar -> {
                if (ar.succeeded()) {
                    ok.incrementAndGet();
                }
                if (done.incrementAndGet() == count) {
                    all.tryComplete();
                } else {
                    next[0].run();
                }
            });
        };
        for (int i = 0; i < Math.min(inFlight, count); i++) {
            next[0].run();
        }
        if (count == 0) {
            return 0;
        }
        Future<Void> f = all.future();
        f.toCompletionStage().toCompletableFuture().get(600, TimeUnit.SECONDS);
        return ok.get();
    }
}
