package io.tokiowakes.cli;

import io.tokiowakes.analyze.ExpectedWakes;
import io.tokiowakes.cli.JarRuns.Run;
import io.tokiowakes.broker.LocalKafka;
import io.tokiowakes.kafka.KafkaTestSupport;
import io.tokiowakes.kafka.LocalKafkaExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
    private static final Pattern NOISE = JarRuns.NOISE;

    @RegisterExtension
    static final LocalKafkaExtension KAFKA = new LocalKafkaExtension();

    private static Process start(Path dir, String name, Path cwd, List<String> args) throws IOException {
        return JarRuns.start(JAR, dir, name, cwd, args);
    }

    private static Run finish(Path dir, String name, Process p, long startNanos, Duration timeout) throws Exception {
        return JarRuns.finish(dir, name, p, startNanos, timeout);
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
        // A run's time is taken when it is waited for: the short ones first, so that waiting
        // for run's 10 s is not counted as theirs.
        Run replayRun = finish(dir, "replay", replay, t0, Duration.ofSeconds(40));
        Run dumpRun = finish(dir, "dump", dump, t0, Duration.ofSeconds(40));
        Map<String, Run> runs = Map.of("run", finish(dir, "run", run, t0, Duration.ofSeconds(40)),
                "replay", replayRun, "dump", dumpRun);
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
