package io.postway.intake.outage;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A single-node KRaft broker of this test JVM's own (loopback ports chosen free once per JVM and kept
 * across restarts, so two builds on one machine never share it), run as a
 * child process from the jars of {@code deploy/local/kafka/target/lib} with the same settings as
 * {@code deploy/local/stack}'s {@code start_kafka}, so a test can stop it and start it again on
 * the same data directory without disturbing the shared broker other engineers' tests use.
 */
public final class TestKafkaBroker {

    public static final int PORT = freePort();
    public static final int CONTROLLER_PORT = freePort();
    public static final String BOOTSTRAP = "127.0.0.1:" + PORT;
    private static final String CLUSTER_ID = "cG9zdHdheUludGFrZU91dGE";

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final Path dir;
    private final Path lib;
    private final Path properties;
    private Process process;
    private int starts;

    public TestKafkaBroker(Path dir) {
        this.dir = dir.toAbsolutePath();
        this.lib = locateLib();
        this.properties = this.dir.resolve("server.properties");
        // a broker left behind by a killed test JVM would hold the ports: only one this class started (its pid file, its properties path)
        killLeftover();
        Runtime.getRuntime().addShutdownHook(new Thread(this::kill, "test-kafka-broker-kill"));
    }

    private static Path locateLib() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path lib = p.resolve("deploy/local/kafka/target/lib");
            if (Files.isDirectory(lib)) {
                return lib;
            }
        }
        throw new IllegalStateException("deploy/local/kafka/target/lib not found: build deploy/local/kafka first");
    }

    /** Formats a fresh data directory, starts the broker and creates the topics. */
    public void startFresh(List<String> topics) {
        try {
            deleteRecursively(dir);
            Files.createDirectories(dir.resolve("data"));
            Files.writeString(properties, String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + CONTROLLER_PORT,
                    "listeners=PLAINTEXT://127.0.0.1:" + PORT + ",CONTROLLER://127.0.0.1:" + CONTROLLER_PORT,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + PORT,
                    "controller.listener.names=CONTROLLER",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "log.dirs=" + dir.resolve("data"),
                    "num.partitions=3",
                    "auto.create.topics.enable=false",
                    "offsets.topic.replication.factor=1",
                    "offsets.topic.num.partitions=3",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "transaction.state.log.num.partitions=3",
                    "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    "message.max.bytes=20971520",
                    "replica.fetch.max.bytes=20971520",
                    ""), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("log4j2.properties"), String.join("\n",
                    "rootLogger.level=INFO",
                    "rootLogger.appenderRef.stdout.ref=STDOUT",
                    "appender.stdout.type=Console",
                    "appender.stdout.name=STDOUT",
                    "appender.stdout.layout.type=PatternLayout",
                    "appender.stdout.layout.pattern=[%d] %p %m (%c)%n",
                    "logger.kafka.name=kafka",
                    "logger.kafka.level=WARN",
                    "logger.server.name=kafka.server.KafkaRaftServer",
                    "logger.server.level=INFO",
                    "logger.broker.name=kafka.server.BrokerServer",
                    "logger.broker.level=INFO",
                    "logger.org.name=org.apache.kafka",
                    "logger.org.level=WARN",
                    ""), StandardCharsets.UTF_8);
            Process format = new ProcessBuilder(java("kafka.tools.StorageTool", "format", "--ignore-formatted",
                    "-t", CLUSTER_ID, "-c", properties.toString()))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("format.log").toFile()).start();
            if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
                format.destroyForcibly();
                throw new IllegalStateException("formatting the test broker's storage failed: " + Files.readString(dir.resolve("format.log")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        start();
        createTopics(topics);
    }

    /** Starts the broker on the existing data directory and waits for "Kafka Server started". */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the test broker is already running");
        }
        Path log = dir.resolve("broker-" + (++starts) + ".log");
        try {
            process = new ProcessBuilder(java("kafka.Kafka", properties.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Files.writeString(dir.resolve("broker.pid"), process.pid() + "\n");
            Instant until = Instant.now().plus(Duration.ofSeconds(120));
            while (!Files.readString(log).contains("Kafka Server started")) {
                if (!process.isAlive() || Instant.now().isAfter(until)) {
                    kill();
                    throw new IllegalStateException("the test broker did not start: " + Files.readString(log));
                }
                Thread.sleep(100);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the broker process (SIGTERM, then SIGKILL after 30 s) and waits until it is gone. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** For the shutdown hook: no waiting for a clean shutdown. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    private void createTopics(List<String> topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP))) {
            List<NewTopic> list = new ArrayList<>();
            for (String t : topics) {
                list.add(new NewTopic(t, 3, (short) 1).configs(Map.of("max.message.bytes", "20971520")));
            }
            try {
                admin.createTopics(list).all().get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("creating the test broker's topics failed", e.getCause());
                }
            }
        } catch (Exception e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    private List<String> java(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Xms64m",
                "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"),
                "-cp", lib + "/*", mainClass));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private void killLeftover() {
        Path pidFile = dir.resolve("broker.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            Optional<ProcessHandle> h = ProcessHandle.of(pid);
            if (h.isPresent() && h.get().info().commandLine().map(c -> c.contains(properties.toString())).orElse(false)) {
                h.get().destroyForcibly();
                h.get().onExit().get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            // no such process, or not ours: nothing to clean up
        }
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
