import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load generator of deploy/bench/e2e: POSTs N messages of SIZE bytes (one recipient each, all in
 * DOMAIN) to intake's /v1/messages and reads mail.delivery-events (all partitions, from their end,
 * no consumer group) until every message has its postway.delivery.delivered event, whose
 * remote.port must be the sink's port (otherwise the policy did not apply and the run fails).
 *
 *   java -cp 'deploy/local/kafka/target/lib/*' e2e-load.java MODE BOOTSTRAP INTAKE_URL KEY DOMAIN SINK_PORT N SIZE PARAM TIMEOUT_S
 *   MODE closed: PARAM = requests in flight (throughput: msg/s from the first POST to the last DELIVERED)
 *   MODE open:   PARAM = offered rate in msg/s (latency: POST start -> DELIVERED event read, per message)
 *
 * Prints key=value lines; exit 0 only when all N were accepted (202) and delivered via the sink.
 */
class E2eLoad {
    static final Pattern MSG_ID = Pattern.compile("\"messageId\":\"([^\"]+)\"");
    static final Pattern TYPE = Pattern.compile("\"type\":\"([^\"]+)\"");
    static final Pattern TIMES = Pattern.compile("\"submittedAt\":\"([^\"]+)\",\"at\":\"([^\"]+)\"");

    public static void main(String[] a) throws Exception {
        String mode = a[0], bootstrap = a[1], url = a[2], key = a[3], domain = a[4];
        int sinkPort = Integer.parseInt(a[5]), n = Integer.parseInt(a[6]), size = Integer.parseInt(a[7]);
        double param = Double.parseDouble(a[8]);
        int timeoutS = Integer.parseInt(a[9]);

        Map<String, Long> deliveredAt = new ConcurrentHashMap<>();   // messageId -> nanoTime read
        Map<String, Long> serverMs = new ConcurrentHashMap<>();      // messageId -> data.at - data.submittedAt
        AtomicInteger wrongRoute = new AtomicInteger(), failed = new AtomicInteger();
        AtomicLong lastDelivered = new AtomicLong();
        String[] sample = {""};
        String needle = "@" + domain + "\"";
        String portNeedle = "\"port\":" + sinkPort + ",";

        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p);
        List<TopicPartition> parts = new ArrayList<>();
        for (PartitionInfo pi : consumer.partitionsFor("mail.delivery-events")) parts.add(new TopicPartition(pi.topic(), pi.partition()));
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        for (TopicPartition tp : parts) consumer.position(tp); // resolve the end now, before the first POST
        Thread reader = new Thread(() -> {
            while (!STOP.get()) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.nanoTime();
                    String v = r.value();
                    if (v == null || !v.contains(needle)) continue;
                    Matcher t = TYPE.matcher(v);
                    String type = t.find() ? t.group(1) : "";
                    if (type.equals("postway.message.accepted")) continue;
                    Matcher m = MSG_ID.matcher(v);
                    if (!m.find()) continue;
                    String id = m.group(1);
                    if (type.equals("postway.delivery.delivered")) {
                        if (!v.contains(portNeedle)) { wrongRoute.incrementAndGet(); sample[0] = v; continue; }
                        if (deliveredAt.putIfAbsent(id, now) == null) {
                            lastDelivered.set(now);
                            Matcher tm = TIMES.matcher(v);
                            if (tm.find()) serverMs.put(id, Duration.between(Instant.parse(tm.group(1)), Instant.parse(tm.group(2))).toMillis());
                        }
                    } else { failed.incrementAndGet(); sample[0] = v; }
                }
            }
        }, "events");
        reader.setDaemon(true);
        reader.start();

        StringBuilder text = new StringBuilder(size + 80);
        String line = "The quick brown fox jumps over the lazy dog, benchmark line of Postway e2e.";
        while (text.length() < size) text.append(line, 0, Math.min(line.length(), size - text.length() - 1)).append("\\n");
        URI uri = URI.create(url);
        String head = "POST /v1/messages HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nAuthorization: Bearer " + key + "\r\nContent-Type: application/json\r\nContent-Length: ";
        String bodyTail = "\",\"text\":\"" + text + "\"}";

        long[] postStart = new long[n];
        String[] ids = new String[n];
        AtomicInteger accepted = new AtomicInteger(), refused = new AtomicInteger();
        AtomicLong lastAccepted = new AtomicLong();
        String[] refusal = {""};
        boolean closed = mode.equals("closed");
        // Plain HTTP/1.1 keep-alive connections, one per worker thread, blocking I/O: the load generator
        // runs on the same two cores as Postway, so it should cost as little per POST as smtp-source does
        // per message on the Postfix side (java.net.http's client cost 1.4 ms per POST).
        // closed: PARAM workers, each sends its next message when the last is answered;
        // open: a pacer hands message i to the workers at t0 + i/rate; latency counts from that due time,
        // so a POST that waited for a free connection is not flattered (no coordinated omission).
        int workers = closed ? (int) param : (int) Math.min(512, Math.max(16, param / 2));
        java.util.concurrent.BlockingQueue<Integer> due = new java.util.concurrent.LinkedBlockingQueue<>();
        AtomicInteger next = new AtomicInteger();
        long t0 = System.nanoTime();
        Thread[] pool = new Thread[workers];
        for (int w = 0; w < workers; w++) {
            pool[w] = new Thread(() -> {
                Http conn = null;
                while (true) {
                    int i;
                    if (closed) {
                        i = next.getAndIncrement();
                        if (i >= n) break;
                        postStart[i] = System.nanoTime();
                    } else {
                        try { i = due.take(); } catch (InterruptedException e) { break; }
                        if (i < 0) break;
                    }
                    byte[] body = ("{\"from\":\"Bench <bench@postway.test>\",\"to\":[\"r" + i + needle + "],\"subject\":\"e2e " + i
                            + bodyTail).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    byte[] req = (head + body.length + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                    String err = null;
                    for (int attempt = 0; attempt < 2; attempt++) {
                        try {
                            if (conn == null) conn = new Http(uri.getHost(), uri.getPort());
                            String answer = conn.post(req, body);
                            if (conn.status == 202) {
                                int k = answer.indexOf("\"id\"");
                                int q1 = k < 0 ? -1 : answer.indexOf('"', answer.indexOf(':', k) + 1);
                                if (q1 >= 0) ids[i] = answer.substring(q1 + 1, answer.indexOf('"', q1 + 1));
                                accepted.incrementAndGet();
                                lastAccepted.set(System.nanoTime());
                            } else {
                                err = conn.status + " " + answer;
                            }
                            if (conn.closeAfter) { conn.close(); conn = null; }
                            break;
                        } catch (java.io.IOException e) { // a dropped keep-alive connection: once more on a new one
                            if (conn != null) conn.close();
                            conn = null;
                            err = e.toString();
                        }
                    }
                    if (ids[i] == null && err != null) { refused.incrementAndGet(); refusal[0] = err; }
                }
                if (conn != null) conn.close();
            }, "post-" + w);
            pool[w].setDaemon(true);
            pool[w].start();
        }
        if (!closed) {
            for (int i = 0; i < n; i++) {
                long at = t0 + (long) (i * 1e9 / param);
                long wait;
                while ((wait = at - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
                postStart[i] = at;
                due.add(i);
            }
            for (int w = 0; w < workers; w++) due.add(-1);
        }
        long deadline = t0 + timeoutS * 1_000_000_000L;
        while (accepted.get() + refused.get() < n && System.nanoTime() < deadline) Thread.sleep(5);
        long postsSent = java.util.Arrays.stream(postStart).max().orElse(t0); // the last POST's start
        while (deliveredAt.size() < accepted.get() && failed.get() == 0 && wrongRoute.get() == 0 && System.nanoTime() < deadline) Thread.sleep(5);
        STOP.set(true);
        reader.join(2000);

        int delivered = deliveredAt.size();
        double secs = (lastDelivered.get() - t0) / 1e9;
        System.out.printf("mode=%s%nmessages=%d%nsize=%d%nparam=%s%n", mode, n, size, a[8]);
        System.out.printf("accepted=%d%nrefused=%d%ndelivered=%d%nwrong_route=%d%nnot_delivered_events=%d%n",
                accepted.get(), refused.get(), delivered, wrongRoute.get(), failed.get());
        System.out.printf("post_seconds=%.3f%npost_rate=%.1f%n", (postsSent - t0) / 1e9, n / ((postsSent - t0) / 1e9));
        System.out.printf("accept_seconds=%.3f%naccept_rate=%.1f%n", (lastAccepted.get() - t0) / 1e9, accepted.get() / ((lastAccepted.get() - t0) / 1e9));
        System.out.printf("seconds=%.3f%nmsgs_per_s=%.1f%n", secs, delivered / secs);
        List<Long> lat = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Long d = ids[i] == null ? null : deliveredAt.get(ids[i]);
            if (d != null) lat.add(d - postStart[i]);
        }
        long[] l = lat.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] s = serverMs.values().stream().mapToLong(Long::longValue).sorted().toArray();
        if (l.length > 0) System.out.printf("latency_ms_p50=%.1f%nlatency_ms_p95=%.1f%nlatency_ms_p99=%.1f%nlatency_ms_max=%.1f%n",
                pct(l, 50) / 1e6, pct(l, 95) / 1e6, pct(l, 99) / 1e6, l[l.length - 1] / 1e6);
        if (s.length > 0) System.out.printf("event_ms_p50=%d%nevent_ms_p95=%d%nevent_ms_p99=%d%n", pct(s, 50), pct(s, 95), pct(s, 99));
        boolean ok = accepted.get() == n && delivered == n && wrongRoute.get() == 0 && failed.get() == 0;
        if (!ok) {
            System.out.println("error=" + (refused.get() > 0 ? "refused: " + refusal[0]
                    : wrongRoute.get() > 0 ? "delivered elsewhere than the sink (policy not applied?)"
                    : failed.get() > 0 ? "deferred/bounced events" : "timed out after " + timeoutS + " s"));
            if (!sample[0].isEmpty()) System.out.println("sample_event=" + sample[0]);
        }
        consumer.close(Duration.ofSeconds(1));
        System.exit(ok ? 0 : 1);
    }

    /** One keep-alive HTTP/1.1 connection: writes a request, reads the status, headers and a Content-Length body. */
    static final class Http {
        final java.net.Socket socket;
        final java.io.OutputStream out;
        final java.io.InputStream in;
        int status;
        boolean closeAfter;

        Http(String host, int port) throws java.io.IOException {
            socket = new java.net.Socket(host, port);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(60_000);
            out = new java.io.BufferedOutputStream(socket.getOutputStream(), 16384);
            in = new java.io.BufferedInputStream(socket.getInputStream(), 16384);
        }

        String post(byte[] head, byte[] body) throws java.io.IOException {
            out.write(head);
            out.write(body);
            out.flush();
            String statusLine = line();
            if (statusLine.length() < 12) throw new java.io.EOFException("no HTTP answer");
            status = Integer.parseInt(statusLine.substring(9, 12));
            int length = 0;
            closeAfter = false;
            for (String h; !(h = line()).isEmpty(); ) {
                int c = h.indexOf(':');
                String name = c < 0 ? h : h.substring(0, c).trim();
                if (name.equalsIgnoreCase("content-length")) length = Integer.parseInt(h.substring(c + 1).trim());
                else if (name.equalsIgnoreCase("connection") && h.substring(c + 1).trim().equalsIgnoreCase("close")) closeAfter = true;
            }
            byte[] b = in.readNBytes(length);
            if (b.length < length) throw new java.io.EOFException("short HTTP body");
            return new String(b, java.nio.charset.StandardCharsets.UTF_8);
        }

        private String line() throws java.io.IOException {
            StringBuilder s = new StringBuilder(64);
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) throw new java.io.EOFException("connection closed");
                if (c != '\r') s.append((char) c);
            }
            return s.toString();
        }

        void close() {
            try { socket.close(); } catch (java.io.IOException ignored) { }
        }
    }

    static final java.util.concurrent.atomic.AtomicBoolean STOP = new java.util.concurrent.atomic.AtomicBoolean();

    static long pct(long[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
