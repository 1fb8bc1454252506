import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The load, check and fault tool of deploy/drills/drills (README "Reliability drills"). Every mode
 * prints {@code key=value} lines the script reads; exit 0 unless the mode's check failed.
 *
 * <pre>
 *   load  INTAKE KEY TAG N RATE DOMAINS SUFFIX OUTDIR [SIZE]
 *                                                   POST N one-recipient messages at RATE/s (open loop) to
 *                                                   DOMAINS domains d<k>.SUFFIX; accepted.tsv (id, recipient, ms) and
 *                                                   responses.tsv (ms, status) in OUTDIR
 *   check BOOTSTRAP INTAKE KEY OUTDIR INBOX TIMEOUT_S [SINCE_MS [KILL_MS]]
 *                                                   waits until every accepted recipient has a terminal event,
 *                                                   then counts events, copies at the destination (INBOX: .eml
 *                                                   files of the catcher or the fault peer, named <ms>-<n>.eml)
 *                                                   and the status API; with KILL_MS also the transactions that had
 *                                                   their 250 before the kill but no done-marker yet (the only ones
 *                                                   a replay may send again)
 *   group BOOTSTRAP GROUP TOPIC MEMBERS TIMEOUT_S [SINCE_MS [GONE-FILE]]
 *                                                   ms from SINCE_MS (default: now) until GROUP has exactly
 *                                                   MEMBERS members, each holding a partition of TOPIC, all held
 *                                                   (none by a member in GONE-FILE); prints "watching" once it polls,
 *                                                   then group_ready_ms and group_ready_at (epoch ms)
 *   first-accept OUTDIR SINCE_MS                    ms from SINCE_MS to the first 202 sent after it
 *   peer PORT INBOX MODE [ARG]                      a fault SMTP peer: MODE drop-after-data (the first
 *                                                   transaction of each recipient is read to its final dot and
 *                                                   the connection dropped without a reply; later ones get 250),
 *                                                   slow-data (ARG = bytes/s read during DATA)
 *   dump-topics BOOTSTRAP OUT                       every record of every mail.* topic (key, headers, value)
 *   dump-db HOST PORT USER DB... OUT                every row of every table of the databases
 *   read-only HOST PORT USER true|false             the whole PostgreSQL server read-only (or writable again)
 *                                                   for every session, the open ones included
 *   auth INTAKE POLICY ROUTER DELIVERY CLIENT_KEY ADMIN_KEY
 *                                                   every operation of each OpenAPI document without a key, with a
 *                                                   wrong key and with a key lacking the role: 401/401/403
 * </pre>
 */
class Drill {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Set<String> TERMINAL = Set.of("postway.delivery.delivered", "postway.delivery.bounced", "postway.delivery.expired");
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();

    public static void main(String[] a) throws Exception {
        switch (a[0]) {
            case "load" -> load(a[1], a[2], a[3], Integer.parseInt(a[4]), Double.parseDouble(a[5]), Integer.parseInt(a[6]), a[7], Path.of(a[8]),
                    a.length > 9 ? Integer.parseInt(a[9]) : 900);
            case "check" -> System.exit(check(a[1], a[2], a[3], Path.of(a[4]), Path.of(a[5]), Integer.parseInt(a[6]),
                    a.length > 7 ? Long.parseLong(a[7]) : 0, a.length > 8 ? Long.parseLong(a[8]) : 0));
            case "group" -> System.exit(group(a[1], a[2], a[3], Integer.parseInt(a[4]), Integer.parseInt(a[5]),
                    a.length > 6 ? Long.parseLong(a[6]) : System.currentTimeMillis(),
                    a.length > 7 ? Set.copyOf(Files.readAllLines(Path.of(a[7]))) : Set.of()));
            case "members" -> members(a[1], a[2]);
            case "first-accept" -> firstAccept(Path.of(a[1]), Long.parseLong(a[2]));
            case "peer" -> peer(Integer.parseInt(a[1]), Path.of(a[2]), a[3], a.length > 4 ? Long.parseLong(a[4]) : 0);
            case "dump-topics" -> dumpTopics(a[1], Path.of(a[2]));
            case "read-only" -> readOnly(a[1], a[2], a[3], Boolean.parseBoolean(a[4]));
            case "dump-db" -> dumpDb(a[1], a[2], a[3], List.of(a).subList(4, a.length - 1), Path.of(a[a.length - 1]));
            case "auth" -> System.exit(auth(a[1], a[2], a[3], a[4], a[5], a[6]));
            default -> throw new IllegalArgumentException("unknown mode " + a[0]);
        }
    }

    // ---------------------------------------------------------------------------------------- load

    static void load(String intake, String key, String tag, int n, double rate, int domains, String suffix, Path out, int size) throws Exception {
        String filler = ("x".repeat(75) + "\\n").repeat(Math.max(1, size / 77));
        Files.createDirectories(out);
        URI uri = URI.create(intake + "/v1/messages");
        Semaphore inFlight = new Semaphore(256);
        AtomicInteger accepted = new AtomicInteger(), refused = new AtomicInteger();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        try (PrintWriter acc = new PrintWriter(Files.newBufferedWriter(out.resolve("accepted.tsv")));
             PrintWriter resp = new PrintWriter(Files.newBufferedWriter(out.resolve("responses.tsv")))) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long due = t0 + (long) (i * 1e9 / rate);
                long wait;
                while ((wait = due - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
                inFlight.acquire();
                String rcpt = tag + "-" + i + "@d" + (i % domains) + "." + suffix;
                String body = "{\"from\":\"Drills <drills@postway.test>\",\"to\":[\"" + rcpt + "\"],\"subject\":\"drill " + tag + " " + i
                        + "\",\"text\":\"Reliability drill " + tag + ", message " + i + ".\\n" + filler + "\"}";
                HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                long sent = System.currentTimeMillis();
                HTTP.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                    try {
                        record(r, e, rcpt, sent, statuses, resp, acc, accepted, refused);
                    } finally {
                        // only after the answer is written down: the last acquire below waits for every answer's line
                        inFlight.release();
                    }
                });
            }
            inFlight.acquire(256);
        }
        System.out.println("offered=" + n);
        System.out.println("accepted=" + accepted.get());
        System.out.println("refused=" + refused.get());
        System.out.println("statuses=" + new TreeMap<>(statuses));
    }

    /** One answer: its status line, and for a 202 its message id (what the check later follows). */
    static void record(HttpResponse<String> r, Throwable e, String rcpt, long sent, Map<Integer, AtomicInteger> statuses,
                       PrintWriter resp, PrintWriter acc, AtomicInteger accepted, AtomicInteger refused) {
        int status = e != null ? 0 : r.statusCode();
        statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
        synchronized (resp) {
            resp.println(sent + "\t" + status);
        }
        if (status == 202) {
            Matcher m = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
            if (m.find()) {
                synchronized (acc) {
                    acc.println(m.group(1) + "\t" + rcpt + "\t" + System.currentTimeMillis());
                }
                accepted.incrementAndGet();
                return;
            }
        }
        refused.incrementAndGet();
    }

    // --------------------------------------------------------------------------------------- check

    record Accepted(String id, String recipient) {
    }

    static int check(String bootstrap, String intake, String key, Path out, Path inbox, int timeoutS, long sinceMs, long killMs) throws Exception {
        List<Accepted> accepted = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("accepted.tsv"))) {
            String[] f = line.split("\t");
            if (f.length >= 2) accepted.add(new Accepted(f[0], f[1]));
        }
        Map<String, String> idOf = new HashMap<>();
        accepted.forEach(x -> idOf.put(x.recipient(), x.id()));
        // recipient -> terminal events (raw records) and their distinct ids; the last terminal type
        Map<String, Integer> terminalRecords = new HashMap<>();
        Map<String, Set<String>> terminalIds = new HashMap<>();
        Map<String, String> lastTerminal = new HashMap<>();
        Map<String, Integer> deferrals = new HashMap<>();
        List<Long> deliveredAt = new ArrayList<>();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        long deadline = System.currentTimeMillis() + timeoutS * 1000L;
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = partitions(c, "mail.delivery-events");
            c.assign(parts);
            c.seekToBeginning(parts);
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(300))) {
                    if (r.value() == null) continue;
                    JsonNode e = JSON.readTree(r.value());
                    String rcpt = e.path("data").path("recipient").asText();
                    if (!idOf.containsKey(rcpt)) continue;
                    String type = e.path("type").asText();
                    if (TERMINAL.contains(type)) {
                        terminalRecords.merge(rcpt, 1, Integer::sum);
                        terminalIds.computeIfAbsent(rcpt, x -> new HashSet<>()).add(e.path("id").asText());
                        lastTerminal.put(rcpt, type);
                        if (type.equals("postway.delivery.delivered")) deliveredAt.add(r.timestamp());
                    } else if (type.equals("postway.delivery.deferred")) {
                        deferrals.merge(rcpt, 1, Integer::sum);
                    }
                }
                if (lastTerminal.size() >= accepted.size() && caughtUp(c, parts)) break;
            }
        }
        // copies at the destination, by recipient (the Received line names them: "; for a@b, c@d; ")
        Map<String, Integer> copies = new HashMap<>();
        Map<String, Long> firstCopyAt = new HashMap<>();
        Pattern forRcpt = Pattern.compile("for ([^;]+);");
        Pattern deliveredTo = Pattern.compile("(?m)^X-Drill-To: (.+)$");
        if (Files.isDirectory(inbox)) {
            try (var files = Files.list(inbox)) {
                for (Path f : files.filter(x -> x.toString().endsWith(".eml")).toList()) {
                    String head = head(f);
                    Matcher m = deliveredTo.matcher(head);
                    String list = m.find() ? m.group(1) : null;
                    if (list == null) {
                        Matcher fm = forRcpt.matcher(head);
                        list = fm.find() ? fm.group(1) : "";
                    }
                    for (String r : list.split(",")) {
                        String rcpt = r.trim().replaceAll("[<>]", "");
                        if (idOf.containsKey(rcpt)) {
                            copies.merge(rcpt, 1, Integer::sum);
                            long at = Long.parseLong(f.getFileName().toString().replaceAll("-.*$", ""));
                            firstCopyAt.merge(rcpt, at, Math::min);
                        }
                    }
                }
            }
        }
        int delivered = 0, duplicates = 0, lost = 0, multiRaw = 0, multiDedup = 0, notDelivered = 0;
        List<String> lostSample = new ArrayList<>();
        for (Accepted x : accepted) {
            int n = copies.getOrDefault(x.recipient(), 0);
            if (n > 0) delivered++;
            if (n > 1) duplicates += n - 1;
            boolean terminal = lastTerminal.containsKey(x.recipient());
            if (n == 0 && !terminal) {
                lost++;
                if (lostSample.size() < 5) lostSample.add(x.id() + "/" + x.recipient());
            }
            if (terminal && !"postway.delivery.delivered".equals(lastTerminal.get(x.recipient()))) notDelivered++;
            if (terminalRecords.getOrDefault(x.recipient(), 0) > 1) multiRaw++;
            if (terminalIds.getOrDefault(x.recipient(), Set.of()).size() > 1) multiDedup++;
        }
        // the status API, for each accepted message
        int mismatches = 0;
        List<String> mismatchSample = new ArrayList<>();
        Semaphore limit = new Semaphore(16);
        Map<String, String> apiStatus = new ConcurrentHashMap<>();
        List<java.util.concurrent.CompletableFuture<?>> calls = new ArrayList<>();
        for (Accepted x : accepted) {
            limit.acquire();
            HttpRequest req = HttpRequest.newBuilder(URI.create(intake + "/v1/messages/" + x.id())).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + key).GET().build();
            calls.add(HTTP.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                limit.release();
                String s;
                if (e != null) s = "error " + e;
                else if (r.statusCode() != 200) s = "HTTP " + r.statusCode();
                else {
                    try {
                        s = "?";
                        for (JsonNode rc : JSON.readTree(r.body()).path("recipients")) {
                            if (rc.path("address").asText().equalsIgnoreCase(x.recipient())) s = rc.path("status").asText();
                        }
                    } catch (IOException ex) {
                        s = "unreadable";
                    }
                }
                apiStatus.put(x.recipient(), s);
            }));
        }
        for (var f : calls) {
            try {
                f.join();
            } catch (RuntimeException ignored) {
                // recorded as "error" above
            }
        }
        // after recovery: the status view may still be catching up (a restarted intake reads from its committed
        // offset); a recipient counts as a mismatch only if it still disagrees after 30 s
        long settle = System.currentTimeMillis() + 30_000;
        List<Accepted> disagreeing = accepted.stream().filter(x -> !expected(lastTerminal, x).equals(apiStatus.get(x.recipient()))).toList();
        while (!disagreeing.isEmpty() && System.currentTimeMillis() < settle) {
            Thread.sleep(1000);
            for (Accepted x : disagreeing) apiStatus.put(x.recipient(), statusOf(intake, key, x));
            disagreeing = disagreeing.stream().filter(x -> !expected(lastTerminal, x).equals(apiStatus.get(x.recipient()))).toList();
        }
        for (Accepted x : accepted) {
            String want = lastTerminal.containsKey(x.recipient())
                    ? lastTerminal.get(x.recipient()).substring("postway.delivery.".length()).toUpperCase() : "(no terminal event)";
            String got = apiStatus.getOrDefault(x.recipient(), "(not asked)");
            if (!want.equals(got)) {
                mismatches++;
                if (mismatchSample.size() < 5) mismatchSample.add(x.id() + " event=" + want + " api=" + got);
            }
        }
        // the longest pause between delivered events after SINCE_MS (how long delivery stood still)
        long gap = 0;
        List<Long> after = deliveredAt.stream().filter(t -> t >= sinceMs).sorted().toList();
        for (int i = 1; i < after.size(); i++) gap = Math.max(gap, after.get(i) - after.get(i - 1));
        int unmarkedAtKill = killMs > 0 ? sentUnmarkedAt(bootstrap, killMs, firstCopyAt) : -1;
        System.out.println("accepted=" + accepted.size());
        System.out.println("delivered_unique=" + delivered);
        System.out.println("duplicates=" + duplicates);
        System.out.println("lost=" + lost);
        System.out.println("terminal_not_delivered=" + notDelivered);
        System.out.println("deferred_events=" + deferrals.values().stream().mapToInt(Integer::intValue).sum());
        System.out.println("recipients_multi_terminal_raw=" + multiRaw);
        System.out.println("recipients_multi_terminal_dedup=" + multiDedup);
        System.out.println("status_mismatches=" + mismatches);
        System.out.println("longest_delivery_pause_ms=" + gap);
        if (killMs > 0) System.out.println("sent_unmarked_at_kill=" + unmarkedAtKill);
        if (!lostSample.isEmpty()) System.out.println("lost_sample=" + lostSample);
        if (!mismatchSample.isEmpty()) System.out.println("mismatch_sample=" + mismatchSample);
        return lost == 0 && multiDedup == 0 && mismatches == 0 ? 0 : 1;
    }

    static String expected(Map<String, String> lastTerminal, Accepted x) {
        return lastTerminal.containsKey(x.recipient())
                ? lastTerminal.get(x.recipient()).substring("postway.delivery.".length()).toUpperCase() : "(no terminal event)";
    }

    static String statusOf(String intake, String key, Accepted x) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(intake + "/v1/messages/" + x.id())).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) return "HTTP " + r.statusCode();
            for (JsonNode rc : JSON.readTree(r.body()).path("recipients")) {
                if (rc.path("address").asText().equalsIgnoreCase(x.recipient())) return rc.path("status").asText();
            }
            return "?";
        } catch (Exception e) {
            return "error " + e;
        }
    }

    /** Recipients whose first copy arrived before {@code killMs} while no done-marker written before it names them. */
    static int sentUnmarkedAt(String bootstrap, long killMs, Map<String, Long> firstCopyAt) throws Exception {
        Set<String> marked = new HashSet<>();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = partitions(c, "mail.outbound-handled");
            c.assign(parts);
            c.seekToBeginning(parts);
            while (!caughtUp(c, parts)) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(300))) {
                    if (r.timestamp() <= killMs && r.value() != null) {
                        JSON.readTree(r.value()).path("recipients").forEach(x -> marked.add(x.asText()));
                    }
                }
            }
        }
        return (int) firstCopyAt.entrySet().stream().filter(e -> e.getValue() <= killMs && !marked.contains(e.getKey())).count();
    }

    static String head(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            return new String(in.readNBytes(4096), StandardCharsets.ISO_8859_1);
        }
    }

    static boolean caughtUp(KafkaConsumer<String, String> c, List<TopicPartition> parts) {
        Map<TopicPartition, Long> ends = c.endOffsets(parts);
        return parts.stream().allMatch(tp -> c.position(tp) >= ends.get(tp));
    }

    static List<TopicPartition> partitions(KafkaConsumer<String, String> c, String topic) {
        List<TopicPartition> parts = new ArrayList<>();
        for (PartitionInfo pi : c.partitionsFor(topic)) parts.add(new TopicPartition(pi.topic(), pi.partition()));
        return parts;
    }

    // --------------------------------------------------------------------------------------- group

    /** The member ids of GROUP now, one a line (to be passed to group as the members that must be gone). */
    static void members(String bootstrap, String group) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().forEach(m -> System.out.println(m.consumerId()));
        }
    }

    /**
     * Ready when exactly {@code members} members (none of {@code gone}) hold partitions of the topic, each at least one,
     * together all of them, and no member of {@code gone} holds any.
     */
    static int group(String bootstrap, String group, String topic, int members, int timeoutS, long t0, Set<String> gone) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
            int partitions = -1;
            String last = "";
            while (partitions < 0 && System.currentTimeMillis() - t0 < timeoutS * 1000L) {
                try {   // a loaded machine may miss a 3 s deadline: ask again, the clock runs on
                    partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
                } catch (Exception e) {
                    last = e.toString();
                }
            }
            // started before the fault, the watcher's own start-up is not counted in what it measures
            System.out.println("watching");
            System.out.flush();
            while (System.currentTimeMillis() - t0 < timeoutS * 1000L) {
                try {
                    ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
                    List<MemberDescription> holders = d.members().stream()
                            .filter(m -> m.assignment().topicPartitions().stream().anyMatch(tp -> tp.topic().equals(topic))).toList();
                    Set<Integer> held = new HashSet<>();
                    for (MemberDescription m : holders) {
                        if (gone.contains(m.consumerId())) continue;
                        m.assignment().topicPartitions().stream().filter(tp -> tp.topic().equals(topic)).forEach(tp -> held.add(tp.partition()));
                    }
                    boolean goneHoldNothing = holders.stream().noneMatch(m -> gone.contains(m.consumerId()));
                    last = holders.size() + " members holding " + topic + ", " + held.size() + "/" + partitions + " partitions held by live ones";
                    if (holders.size() == members && held.size() == partitions && goneHoldNothing) {
                        System.out.println("group_ready_ms=" + (System.currentTimeMillis() - t0));
                        System.out.println("group_ready_at=" + System.currentTimeMillis());
                        System.out.println("group_state=" + last);
                        return 0;
                    }
                } catch (Exception e) {
                    last = e.toString();
                }
                Thread.sleep(200);
            }
            System.out.println("group_ready_ms=timeout");
            System.out.println("group_state=" + last);
            return 1;
        }
    }

    static void firstAccept(Path out, long sinceMs) throws IOException {
        long first = Long.MAX_VALUE;
        for (String line : Files.readAllLines(out.resolve("responses.tsv"))) {
            String[] f = line.split("\t");
            long sent = Long.parseLong(f[0]);
            if (sent >= sinceMs && f[1].equals("202")) first = Math.min(first, sent);
        }
        System.out.println("first_accept_ms=" + (first == Long.MAX_VALUE ? "none" : Long.toString(first - sinceMs)));
    }

    // ---------------------------------------------------------------------------------------- peer

    /** A deliberately small SMTP server (no TLS, no pipelining needed: it reads line by line). */
    static void peer(int port, Path inbox, String mode, long arg) throws Exception {
        Files.createDirectories(inbox);
        Set<String> droppedOnce = ConcurrentHashMap.newKeySet();
        AtomicInteger seq = new AtomicInteger();
        AtomicInteger inData = new AtomicInteger();
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(new java.net.InetSocketAddress("127.0.0.1", port));
            System.out.println("READY " + port);
            System.out.flush();
            while (true) {
                Socket s = server.accept();
                Thread session = new Thread(() -> {
                    try (s; var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                         OutputStream out = s.getOutputStream()) {
                        reply(out, "220 drill-peer ESMTP");
                        List<String> rcpts = new ArrayList<>();
                        String line;
                        while ((line = in.readLine()) != null) {
                            String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                            switch (verb) {
                                case "EHLO" -> reply(out, "250-drill-peer\r\n250-8BITMIME\r\n250 SIZE 52428800");
                                case "HELO" -> reply(out, "250 drill-peer");
                                case "MAIL" -> { rcpts.clear(); reply(out, "250 2.1.0 Ok"); }
                                case "RCPT" -> { rcpts.add(line.replaceAll("^[^<]*<([^>]*)>.*$", "$1")); reply(out, "250 2.1.5 Ok"); }
                                case "DATA" -> {
                                    reply(out, "354 go ahead");
                                    inData.incrementAndGet();
                                    Files.writeString(inbox.resolve("in-data"), inData.get() + "\n");
                                    StringBuilder data = new StringBuilder();
                                    long t0 = System.nanoTime();
                                    long bytes = 0;
                                    boolean ended = false;
                                    while ((line = in.readLine()) != null) {
                                        if (line.equals(".")) { ended = true; break; }
                                        data.append(line).append("\r\n");
                                        bytes += line.length() + 2;
                                        if (mode.equals("slow-data") && arg > 0) {
                                            long due = t0 + (long) (bytes * 1e9 / arg);
                                            long w;
                                            while ((w = due - System.nanoTime()) > 0) LockSupport.parkNanos(w);
                                        }
                                    }
                                    inData.decrementAndGet();
                                    Files.writeString(inbox.resolve("in-data"), inData.get() + "\n");
                                    if (!ended) return; // the client went away in the middle of DATA: nothing was accepted
                                    String id = System.currentTimeMillis() + "-" + seq.incrementAndGet();
                                    String rec = "X-Drill-To: " + String.join(", ", rcpts) + "\r\n";
                                    Files.writeString(inbox.resolve(id + ".eml"), rec + data, StandardCharsets.ISO_8859_1,
                                            StandardOpenOption.CREATE_NEW);
                                    if (mode.equals("drop-after-data") && droppedOnce.add(String.join(",", rcpts))) {
                                        // RFC 5321 6.1's case: the message is here, but the client never hears so
                                        Files.writeString(inbox.resolve("dropped-" + id), String.join(",", rcpts));
                                        return;
                                    }
                                    reply(out, "250 2.0.0 Ok: queued as " + id);
                                    rcpts.clear();
                                }
                                case "RSET" -> { rcpts.clear(); reply(out, "250 2.0.0 Ok"); }
                                case "NOOP" -> reply(out, "250 2.0.0 Ok");
                                case "QUIT" -> { reply(out, "221 2.0.0 Bye"); return; }
                                default -> reply(out, "502 5.5.2 Command not recognized");
                            }
                        }
                    } catch (IOException ignored) {
                        // a client that went away
                    }
                });
                session.setDaemon(true);
                session.start();
            }
        }
    }

    static void reply(OutputStream out, String s) throws IOException {
        out.write((s + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    // ------------------------------------------------------------------------------ security dumps

    static void dumpTopics(String bootstrap, Path out) throws Exception {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "20971520");
        long n = 0;
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
             PrintWriter w = new PrintWriter(Files.newBufferedWriter(out))) {
            List<TopicPartition> parts = new ArrayList<>();
            for (String t : c.listTopics().keySet()) {
                if (t.startsWith("mail.")) parts.addAll(partitions(c, t));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            while (!caughtUp(c, parts)) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(300))) {
                    StringBuilder h = new StringBuilder();
                    r.headers().forEach(x -> h.append(x.key()).append('=').append(new String(x.value(), StandardCharsets.UTF_8)).append(' '));
                    w.println(r.topic() + "\t" + r.key() + "\t" + h + "\t" + r.value());
                    // the content travels base64: a secret inside a message would hide there, so decode it too
                    if (r.value() != null && r.value().contains("\"content\"")) {
                        Matcher m = Pattern.compile("\"content\":\"([A-Za-z0-9+/=\\\\r\\\\n]+)\"").matcher(r.value());
                        while (m.find()) {
                            try {
                                w.println(r.topic() + "\tdecoded-content\t\t" + new String(java.util.Base64.getMimeDecoder()
                                        .decode(m.group(1).replace("\\r", "").replace("\\n", "")), StandardCharsets.UTF_8));
                            } catch (IllegalArgumentException ignored) {
                                // not base64
                            }
                        }
                    }
                    n++;
                }
            }
        }
        System.out.println("records=" + n);
    }

    /**
     * What a full disk or a server demoted to standby does to its clients: reads work, every write fails (SQLState
     * 25006 here, 53100 on a full disk), connections stay open. {@code ALTER SYSTEM} + reload reaches the sessions
     * already open in the services' pools ({@code ALTER DATABASE ... SET} would reach only new ones).
     */
    static void readOnly(String host, String port, String user, boolean on) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/postgres", user, "");
             Statement s = c.createStatement()) {
            s.execute("set default_transaction_read_only = off"); // this session may write the setting back
            s.execute(on ? "alter system set default_transaction_read_only = on" : "alter system reset default_transaction_read_only");
            s.execute("select pg_reload_conf()");
        }
        System.out.println("read_only=" + on);
    }

    static void dumpDb(String host, String port, String user, List<String> dbs, Path out) throws Exception {
        long rows = 0;
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out))) {
            for (String db : dbs) {
                try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + db, user, "")) {
                    List<String> tables = new ArrayList<>();
                    try (Statement s = c.createStatement();
                         ResultSet rs = s.executeQuery("select schemaname||'.'||tablename from pg_tables where schemaname not in ('pg_catalog','information_schema')")) {
                        while (rs.next()) tables.add(rs.getString(1));
                    }
                    for (String t : tables) {
                        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select * from " + t)) {
                            int cols = rs.getMetaData().getColumnCount();
                            while (rs.next()) {
                                StringBuilder row = new StringBuilder(db + "." + t);
                                for (int i = 1; i <= cols; i++) {
                                    Object v = rs.getObject(i);
                                    row.append('\t').append(v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(v));
                                }
                                w.println(row);
                                rows++;
                            }
                        }
                    }
                }
            }
        }
        System.out.println("rows=" + rows);
    }

    // -------------------------------------------------------------------------------------- auth

    static int auth(String intake, String policy, String router, String delivery, String clientKey, String adminKey) throws Exception {
        Map<String, String> services = new LinkedHashMap<>();
        services.put("intake", intake);
        services.put("policy", policy);
        services.put("router", router);
        services.put("delivery", delivery);
        int checked = 0, failures = 0;
        for (var svc : services.entrySet()) {
            HttpResponse<String> doc = HTTP.send(HttpRequest.newBuilder(URI.create(svc.getValue() + "/q/openapi?format=json")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (doc.statusCode() != 200) {
                System.out.println("fail=" + svc.getKey() + " /q/openapi answered " + doc.statusCode());
                failures++;
                continue;
            }
            JsonNode paths = JSON.readTree(doc.body()).path("paths");
            int ops = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
                var path = it.next();
                String concrete = path.getKey().replaceAll("\\{[^}]+}", "drill-x.test");
                for (Iterator<String> ms = path.getValue().fieldNames(); ms.hasNext(); ) {
                    String method = ms.next().toUpperCase();
                    if (!Set.of("GET", "POST", "PUT", "DELETE", "PATCH").contains(method)) continue;
                    ops++;
                    // the key of the other role: the client key on admin APIs is known there and lacks the role (403);
                    // intake knows only client keys, so the admin key is an unknown key there (401, deploy/web/README.md)
                    boolean isIntake = svc.getKey().equals("intake");
                    for (String[] attempt : new String[][]{{null, "401"}, {"wrong-" + clientKey, "401"},
                            {isIntake ? adminKey : clientKey, isIntake ? "401" : "403"}}) {
                        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(svc.getValue() + concrete)).timeout(Duration.ofSeconds(10))
                                .header("Content-Type", "application/json")
                                .method(method, method.equals("GET") || method.equals("DELETE") ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString("{}"));
                        if (attempt[0] != null) b.header("Authorization", "Bearer " + attempt[0]);
                        int status = HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                        checked++;
                        if (status != Integer.parseInt(attempt[1])) {
                            failures++;
                            System.out.println("fail=" + svc.getKey() + " " + method + " " + path.getKey() + " with "
                                    + (attempt[0] == null ? "no key" : attempt[0].startsWith("wrong-") ? "a wrong key" : "the other role's key")
                                    + ": " + status + ", expected " + attempt[1]);
                        }
                    }
                }
            }
            System.out.println("operations_" + svc.getKey() + "=" + ops);
        }
        System.out.println("auth_requests=" + checked);
        System.out.println("auth_failures=" + failures);
        return failures == 0 ? 0 : 1;
    }
}
