package io.tokiowakes.broker;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node KRaft Kafka broker (broker and controller in one process), run as a
 * child JVM from Apache Kafka's own jars (see {@link BrokerJars}).
 *
 * <p>The broker listens on {@code PLAINTEXT://127.0.0.1:port}; {@code extraServerProps} may add
 * listeners (e.g. SASL_PLAINTEXT on a port from {@link #freePort()}) but must keep that one,
 * since readiness is checked through it.
 */
public final class LocalKafka implements AutoCloseable {

    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final Pattern CONTROLLER_PORT = Pattern.compile("CONTROLLER://[^,]*:(\\d+)");

    private final Process process;
    private final Path dataDir;
    private final int port;
    private final Thread shutdownHook;
    private boolean closed;

    private LocalKafka(Process process, Path dataDir, int port, Thread shutdownHook) {
        this.process = process;
        this.dataDir = dataDir;
        this.port = port;
        this.shutdownHook = shutdownHook;
    }

    /** Starts a broker with the jars found by {@link BrokerJars#libDir()}. */
    public static LocalKafka start(Path dataDir, int port, Map<String, String> extraServerProps) throws IOException {
        return start(dataDir, port, extraServerProps, BrokerJars.libDir());
    }

    /**
     * Starts a broker storing its data under {@code dataDir} and returns once it answers admin
     * requests. {@code port} 0 picks a free port. A data directory left by an earlier run is
     * started again without formatting (its controller port is reused).
     */
    public static LocalKafka start(Path dataDir, int port, Map<String, String> extraServerProps, Path libDir)
            throws IOException {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(libDir, "libDir");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        Path data = dataDir.toAbsolutePath().normalize();
        Path lib = libDir.toAbsolutePath().normalize();
        BrokerJars.requireBrokerJars(lib, "libDir " + lib);
        Files.createDirectories(data);
        Path logDir = data.resolve("logs");
        Path serverProps = data.resolve("server.properties");
        boolean formatted = Files.exists(logDir.resolve("meta.properties"));

        // The controller endpoint is recorded in the formatted metadata log, so a restart must keep it.
        // Both asked for at once: two sockets asked for one after the other may get the same port.
        int[] fresh = freePorts(2);
        int brokerPort = port != 0 ? port : fresh[0];
        int controllerPort = formatted ? previousControllerPort(serverProps)
                : fresh[1] != brokerPort ? fresh[1] : fresh[0];

        Map<String, String> props = serverProperties(brokerPort, controllerPort, logDir);
        if (extraServerProps != null) {
            props.putAll(extraServerProps);
        }
        boolean staticVoters = props.containsKey("controller.quorum.voters");
        if (staticVoters) {
            props.remove("controller.quorum.bootstrap.servers");
        }
        writeProperties(serverProps, props);

        List<String> jvm = jvmPrefix(lib);
        if (!formatted) {
            List<String> format = new ArrayList<>(jvm);
            format.addAll(List.of("kafka.tools.StorageTool", "format",
                    "--cluster-id", Uuid.randomUuid().toString(),
                    "--config", serverProps.toString()));
            if (!staticVoters) {
                format.add("--standalone");
            }
            runFormat(format, data);
        }

        List<String> server = new ArrayList<>(jvm);
        server.add(1, "-Xmx512m");
        server.addAll(List.of("kafka.Kafka", serverProps.toString()));
        Path brokerLog = data.resolve("broker.log");
        Process process = new ProcessBuilder(server)
                .directory(data.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(brokerLog.toFile()))
                .start();
        process.getOutputStream().close();
        // The hook only matters when the caller never closes; close() removes it.
        Thread hook = new Thread(() -> stop(process, Duration.ofSeconds(5)), "local-kafka-stop-" + process.pid());
        Runtime.getRuntime().addShutdownHook(hook);
        LocalKafka kafka = new LocalKafka(process, data, brokerPort, hook);
        try {
            kafka.awaitReady(brokerLog);
        } catch (IOException | RuntimeException | Error e) {
            kafka.close();
            throw e;
        }
        return kafka;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /**
     * CPU time the broker process has used so far, all its threads (ns), as the operating system
     * counts it; empty where it does not say. A benchmark on one machine sets it beside the client's.
     */
    public OptionalLong cpuNanos() {
        return process.toHandle().info().totalCpuDuration()
                .map(d -> OptionalLong.of(d.toNanos())).orElse(OptionalLong.empty());
    }

    /** The broker child process; for tests that check it is gone after {@link #close()}. */
    Process process() {
        return process;
    }

    /** Stops the broker (SIGTERM, then a forced kill after 15 s) and waits for it to exit. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is already running or about to; stopping twice is harmless
        }
        stop(process, STOP_GRACE);
    }

    /** A currently free TCP port on 127.0.0.1 (free when asked; nothing reserves it). */
    public static int freePort() throws IOException {
        return freePorts(1)[0];
    }

    /**
     * {@code count} distinct TCP ports on 127.0.0.1, free when asked (nothing reserves them). All
     * sockets are held open together until every port is known: the kernel may hand a port just
     * closed to the next request, so ports asked for one at a time can repeat.
     *
     * @throws IOException if a socket cannot be opened
     */
    public static int[] freePorts(int count) throws IOException {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
    }

    private static Map<String, String> serverProperties(int brokerPort, int controllerPort, Path logDir) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map",
                "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL");
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("min.insync.replicas", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        return p;
    }

    private static List<String> jvmPrefix(Path lib) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary());
        Path log4j = lib.resolveSibling(BrokerJars.LOG4J_CONFIG);
        if (Files.isRegularFile(log4j)) {
            cmd.add("-Dlog4j2.configurationFile=" + log4j);
        }
        cmd.add("-cp");
        // The java launcher expands "dir/*" itself; no shell is involved.
        cmd.add(lib + File.separator + "*");
        return cmd;
    }

    private static String javaBinary() {
        boolean windows = System.getProperty("os.name", "").toLowerCase().startsWith("windows");
        Path java = Path.of(System.getProperty("java.home"), "bin", windows ? "java.exe" : "java");
        return Files.isExecutable(java) ? java.toString()
                : ProcessHandle.current().info().command().orElse("java");
    }

    private static void runFormat(List<String> command, Path workDir) throws IOException {
        Process format = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .start();
        format.getOutputStream().close();
        // Output is small; reading it to the end also keeps the pipe from filling.
        String output;
        try (InputStream in = format.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        try {
            if (!format.waitFor(FORMAT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                format.destroyForcibly();
                throw new IOException("kafka StorageTool format timed out: " + String.join(" ", command));
            }
        } catch (InterruptedException e) {
            format.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while formatting Kafka storage", e);
        }
        if (format.exitValue() != 0) {
            throw new IOException("kafka StorageTool format exited with " + format.exitValue()
                    + " (" + String.join(" ", command) + "):\n" + output);
        }
    }

    private void awaitReady(Path brokerLog) throws IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        // Wait for the listener first so the admin client does not log a connection warning per retry.
        while (!accepts(port)) {
            checkAlive(brokerLog);
            if (System.nanoTime() > deadline) {
                throw notReady(brokerLog, null);
            }
            sleep(100);
        }
        Properties adminProps = new Properties();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        adminProps.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        adminProps.put(AdminClientConfig.CLIENT_ID_CONFIG, "local-kafka-ready-" + process.pid());
        Exception last = null;
        try (Admin admin = Admin.create(adminProps)) {
            while (true) {
                checkAlive(brokerLog);
                try {
                    boolean hasBroker = !admin.describeCluster(new DescribeClusterOptions().timeoutMs(5000))
                            .nodes().get(6, TimeUnit.SECONDS).isEmpty();
                    admin.listTopics(new ListTopicsOptions().listInternal(true).timeoutMs(5000))
                            .names().get(6, TimeUnit.SECONDS);
                    if (hasBroker) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for the Kafka broker", e);
                } catch (Exception e) {
                    last = e;
                }
                if (System.nanoTime() > deadline) {
                    throw notReady(brokerLog, last);
                }
                sleep(200);
            }
        }
    }

    private void checkAlive(Path brokerLog) throws IOException {
        if (!process.isAlive()) {
            throw new IOException("Kafka broker exited with " + process.exitValue() + " before it was ready; "
                    + brokerLog + " ends with:\n" + tail(brokerLog, 40));
        }
    }

    private IOException notReady(Path brokerLog, Exception cause) {
        return new IOException("Kafka broker on " + bootstrapServers() + " not ready after "
                + READY_TIMEOUT.toSeconds() + " s; " + brokerLog + " ends with:\n" + tail(brokerLog, 40), cause);
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void stop(Process process, Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        boolean interrupted = false;
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        } catch (InterruptedException e) {
            interrupted = true;
            process.destroyForcibly();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static int previousControllerPort(Path serverProps) throws IOException {
        Properties old = new Properties();
        try (InputStream in = Files.newInputStream(serverProps)) {
            old.load(in);
        } catch (IOException e) {
            throw new IOException("data dir " + serverProps.getParent()
                    + " is already formatted but its server.properties cannot be read; use an empty data dir", e);
        }
        Matcher m = CONTROLLER_PORT.matcher(old.getProperty("listeners", ""));
        if (!m.find()) {
            throw new IOException("data dir " + serverProps.getParent()
                    + " is already formatted but " + serverProps + " names no CONTROLLER listener; use an empty data dir");
        }
        return Integer.parseInt(m.group(1));
    }

    /** Written by hand rather than Properties.store so the file stays readable (no escaped colons, no date). */
    private static void writeProperties(Path file, Map<String, String> props) throws IOException {
        StringBuilder out = new StringBuilder("# Written by io.tokiowakes.broker.LocalKafka\n");
        for (Map.Entry<String, String> e : new TreeMap<>(props).entrySet()) {
            out.append(escape(e.getKey(), true)).append('=').append(escape(e.getValue(), false)).append('\n');
        }
        // Kafka reads the file as ISO-8859-1; escape() keeps it ASCII.
        Files.writeString(file, out, StandardCharsets.ISO_8859_1);
    }

    private static String escape(String s, boolean key) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else if ((key && (c == '=' || c == ':' || c == ' ' || c == '#' || c == '!'))
                            || (i == 0 && (c == ' ' || c == '#' || c == '!'))) {
                        b.append('\\').append(c);
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the Kafka broker", e);
        }
    }
}
