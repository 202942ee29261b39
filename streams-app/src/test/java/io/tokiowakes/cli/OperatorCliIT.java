package io.tokiowakes.cli;

import io.tokiowakes.analyze.ExpectedWakes;
import io.tokiowakes.broker.LocalKafka;
import io.tokiowakes.kafka.KafkaTestSupport;
import io.tokiowakes.kafka.LocalKafkaExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The jar as operators run it ({@code java -jar streams-app.jar ...}, from a folder outside the
 * project, with an empty cache): its exit codes, its one-line errors, and that a healthy run
 * logs no warning.
 */
class OperatorCliIT {

    private static final Path JAR = Path.of(System.getProperty("tokio.wakes.jar", "target/streams-app.jar")).toAbsolutePath();
    /** A warning or error logged, a stack trace, or SLF4J's complaints: none in a healthy run. */
    private static final Pattern NOISE = Pattern.compile("( WARN | ERROR |Exception|^\\s+at |^SLF4J)", Pattern.MULTILINE);

    @RegisterExtension
    static final LocalKafkaExtension KAFKA = new LocalKafkaExtension();

    /** A finished {@code java -jar} run. */
    record Run(int exit, String out, String err, Duration took) {
        List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    /** Starts the jar in {@code cwd} with its own cache folder; output to files in {@code dir}. */
    private static Process start(Path dir, String name, Path cwd, List<String> args) throws IOException {
        Files.createDirectories(cwd);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-jar", JAR.toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile())
                .redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile());
        Map<String, String> env = pb.environment();
        env.put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        env.remove("KAFKA_BOOTSTRAP_SERVERS");
        env.remove(io.tokiowakes.broker.BrokerJars.LIB_DIR_ENV);
        Process p = pb.start();
        p.getOutputStream().close();
        return p;
    }

    private static Run finish(Path dir, String name, Process p, long startNanos, Duration timeout) throws Exception {
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            fail(name + " still running after " + timeout.toSeconds() + " s:\n" + Files.readString(dir.resolve(name + ".err")));
        }
        return new Run(p.exitValue(), Files.readString(dir.resolve(name + ".out"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve(name + ".err"), StandardCharsets.UTF_8),
                Duration.ofNanos(System.nanoTime() - startNanos));
    }

    /**
     * replay, run and dump against an address where no broker listens: one line naming it,
     * exit 2, within the connect timeout (10 s unless --connect-timeout-ms says otherwise).
     */
    @Test
    void anUnreachableBrokerIsOneLineExitTwoWithinTheTimeout(@TempDir Path dir) throws Exception {
        String address = "127.0.0.1:" + LocalKafka.freePort();
        Path trace = KafkaTestSupport.writeLines(dir.resolve("seed.jsonl"), KafkaTestSupport.fixture("seed-program"));
        Path anywhere = dir.resolve("elsewhere");
        long t0 = System.nanoTime();
        // run with the default timeout; replay and dump with a shorter one, side by side.
        Process run = start(dir, "run", anywhere, List.of("run", "--bootstrap-server", address, "--http-port", "0"));
        Process replay = start(dir, "replay", anywhere, List.of("replay", "--bootstrap-server", address,
                "--input", trace.toString(), "--connect-timeout-ms", "3000"));
        Process dump = start(dir, "dump", anywhere, List.of("dump", "--bootstrap-server", address,
                "--out", dir.resolve("out").toString(), "--connect-timeout-ms", "3000"));
        Map<String, Run> runs = Map.of(
                "run", finish(dir, "run", run, t0, Duration.ofSeconds(40)),
                "replay", finish(dir, "replay", replay, t0, Duration.ofSeconds(40)),
                "dump", finish(dir, "dump", dump, t0, Duration.ofSeconds(40)));
        for (var e : runs.entrySet()) {
            Run r = e.getValue();
            String timeout = e.getKey().equals("run") ? "10 s" : "3 s";
            assertEquals(2, r.exit(), e.getKey() + ":\n" + r.err());
            assertEquals(List.of(e.getKey() + ": cannot reach Kafka at " + address + " (connection refused) within "
                    + timeout + "; is the broker running and the address right?"), r.errLines(), r.err());
            assertEquals("", r.out(), e.getKey() + " printed nothing else");
        }
        assertTrue(runs.get("run").took().compareTo(Duration.ofSeconds(10)) >= 0, "tried for the whole 10 s");
        assertTrue(runs.get("run").took().compareTo(Duration.ofSeconds(20)) < 0, "gave up soon after: " + runs.get("run").took());
        assertTrue(runs.get("dump").took().compareTo(Duration.ofSeconds(12)) < 0, "--connect-timeout-ms 3000: " + runs.get("dump").took());
    }

    /**
     * demo from a folder outside the project, with nothing cached: the jar carries the broker;
     * the edges name Tokio's task IDs beside the span IDs; no warning is logged. Then local-kafka
     * from there too.
     */
    @Test
    void demoAndLocalKafkaRunFromAnyFolderQuietly(@TempDir Path dir) throws Exception {
        Path anywhere = dir.resolve("elsewhere");
        long t0 = System.nanoTime();
        Run demo = finish(dir, "demo", start(dir, "demo", anywhere, List.of("demo", "--dir", dir.resolve("demo").toString())),
                t0, Duration.ofMinutes(3));
        assertEquals(0, demo.exit(), demo.out() + demo.err());
        assertTrue(demo.out().contains("wake edges (4):"), demo.out());
        for (String task : List.of("receiver (task 4, span 8)", "sender-task (task 5, span 2251799813685257)",
                "(thread ThreadId(4))")) {
            assertTrue(demo.out().contains(task), task + " in:\n" + demo.out());
        }
        assertTrue(demo.out().contains("anomalies (0):"), demo.out());
        assertTrue(!NOISE.matcher(demo.out() + demo.err()).find(), "a healthy demo logs no warning:\n" + demo.err());
        assertTrue(Files.list(dir.resolve("cache").resolve("tokio-wakes")).findAny().isPresent(), "broker jars copied out once");

        Process kafka = start(dir, "local-kafka", anywhere, List.of("local-kafka", "--dir", dir.resolve("kafka").toString(),
                "--port", "0"));
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!Files.readString(dir.resolve("local-kafka.out")).contains("Kafka broker ready: bootstrap server 127.0.0.1:")) {
                if (!kafka.isAlive() || System.nanoTime() > deadline) {
                    fail("local-kafka did not get ready:\n" + Files.readString(dir.resolve("local-kafka.err")));
                }
                Thread.sleep(200);
            }
        } finally {
            kafka.destroy();
            kafka.waitFor(30, TimeUnit.SECONDS);
        }
        assertEquals("", Files.readString(dir.resolve("local-kafka.err")));
    }

    /** run on a broker, a trace replayed through it, stopped with SIGTERM: the outputs, and no warning. */
    @Test
    void aHealthyRunLogsNoWarning(@TempDir Path dir) throws Exception {
        String prefix = "quiet-" + System.nanoTime() + ".";
        Process job = start(dir, "run", dir.resolve("elsewhere"), List.of("run", "--bootstrap-server", KAFKA.bootstrapServers(),
                "--topic-prefix", prefix, "--http-port", "0", "-X", "state.dir=" + dir.resolve("state")));
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!Files.readString(dir.resolve("run.out")).contains("running: ")) {
                if (!job.isAlive() || System.nanoTime() > deadline) {
                    fail("run did not start:\n" + Files.readString(dir.resolve("run.err")));
                }
                Thread.sleep(200);
            }
            Path trace = KafkaTestSupport.writeLines(dir.resolve("mixed.jsonl"), KafkaTestSupport.fixture("mixed-w2"));
            Run replay = finish(dir, "replay", start(dir, "replay", dir, List.of("replay", "--bootstrap-server",
                    KAFKA.bootstrapServers(), "--topic-prefix", prefix, "--input", trace.toString())), System.nanoTime(),
                    Duration.ofSeconds(60));
            assertEquals(0, replay.exit(), replay.err());
            Path out = dir.resolve("out");
            ExpectedWakes expected = ExpectedWakes.fixtures("mixed-w2");
            deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            do {
                Run dump = finish(dir, "dump", start(dir, "dump", dir, List.of("dump", "--bootstrap-server",
                        KAFKA.bootstrapServers(), "--topic-prefix", prefix, "--out", out.toString(), "--idle-ms", "2000")),
                        System.nanoTime(), Duration.ofSeconds(60));
                assertEquals(0, dump.exit(), dump.err());
            } while (expected.differences(ExpectedWakes.fromOutputs(out)).size() > 0 && System.nanoTime() < deadline);
            assertEquals(List.of(), expected.differences(ExpectedWakes.fromOutputs(out)));
        } finally {
            job.destroy();
            if (!job.waitFor(60, TimeUnit.SECONDS)) {
                job.destroyForcibly();
            }
        }
        String logged = Files.readString(dir.resolve("run.err"));
        assertTrue(!NOISE.matcher(logged).find(), "a healthy run logs no warning:\n" + logged);
        assertTrue(Files.readString(dir.resolve("run.out")).contains("running: " + prefix + "tokio.trace"));
    }
}
