package io.tokiowakes.collector;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokiowakes.analyze.TraceFileAnalyzer;
import io.tokiowakes.cli.Main;
import io.tokiowakes.json.Json;
import io.tokiowakes.kafka.KafkaTestSupport;
import io.tokiowakes.kafka.LocalKafkaExtension;
import io.tokiowakes.kafka.OutputDumper;
import io.tokiowakes.kafka.TopicSetup;
import io.tokiowakes.kafka.WakeJob;
import io.tokiowakes.testing.Skip;
import io.tokiowakes.topology.JobSettings;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * From a real Tokio program to the job's topics: the collector crate's example runs with the
 * collector layer, {@code ship --follow} tails its output into the real broker while it runs,
 * and the job must find every kind of wake and exactly the two anomalies the example is built
 * to produce. The crate's own tests run first.
 */
class CollectorEndToEndIT {

    private static final Path CRATE = Path.of("..", "collector").toAbsolutePath().normalize();

    /** Registered before the broker, so that without Rust the class is skipped without starting one. */
    @RegisterExtension
    @Order(1)
    static final BeforeAllCallback NEEDS_RUST = context -> needsRustToolchain();

    @RegisterExtension
    @Order(2)
    static final LocalKafkaExtension KAFKA = new LocalKafkaExtension();

    private static void needsRustToolchain() {
        Skip.unless(Files.isRegularFile(CRATE.resolve("Cargo.toml")), "CollectorEndToEndIT: no collector crate at " + CRATE);
        Skip.unless(cargo() != null, "CollectorEndToEndIT: cargo is not installed: the collector cannot be built here");
        Skip.unless(Files.isDirectory(Path.of("/usr/share/cargo/registry")),
                "CollectorEndToEndIT: Debian's Rust crates are not installed (apt-get install librust-tokio-dev "
                        + "librust-tracing-subscriber-dev librust-serde-json-dev)");
    }

    private static String cargo() {
        for (String candidate : List.of(System.getProperty("user.home") + "/.cargo/bin/cargo", "/usr/bin/cargo", "/usr/local/bin/cargo")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return null;
    }

    private static int run(Path log, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(CRATE.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", command));
        }
        return p.exitValue();
    }

    @Test
    void crateTestsPass(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("cargo-test.log");
        int code = run(log, cargo(), "test", "--offline");
        assertEquals(0, code, Files.readString(log));
    }

    @Test
    void exampleProgramShippedLiveGivesEveryKindOfWakeAndItsTwoAnomalies(@TempDir Path dir) throws Exception {
        Path buildLog = dir.resolve("build.log");
        assertEquals(0, run(buildLog, cargo(), "build", "--offline", "--examples"), Files.readString(buildLog));

        JobSettings settings = KafkaTestSupport.pipeline("collector");
        Properties client = KafkaTestSupport.client(KAFKA.bootstrapServers());
        TopicSetup.ensure(client, settings.topics(), 4, 4);
        String prefix = settings.topics().input().substring(0, settings.topics().input().indexOf("tokio.trace"));
        Path trace = dir.resolve("wakes.jsonl");
        try (WakeJob job = new WakeJob(KafkaTestSupport.streamsConfig(KAFKA.bootstrapServers(), settings, dir.resolve("state")), settings).start()) {
            assertTrue(job.awaitRunning(Duration.ofSeconds(60)));
            CompletableFuture<Integer> ship = CompletableFuture.supplyAsync(() -> Main.execute("ship",
                    "--bootstrap-server", KAFKA.bootstrapServers(), "--topic-prefix", prefix,
                    "--input", trace.toString(), "--follow", "--idle-exit-ms", "3000"));
            Path runLog = dir.resolve("example.log");
            assertEquals(0, run(runLog, cargo(), "run", "--offline", "-q", "--example", "wake_patterns", "--",
                    trace.toString(), "collector-e2e"), Files.readString(runLog));
            assertEquals(0, ship.get(2, TimeUnit.MINUTES));

            Path out = dir.resolve("out");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            Set<String> anomalies;
            do {
                OutputDumper.dump(client, settings.topics(), out, Duration.ofSeconds(2));
                anomalies = anomalies(out);
            } while (!anomalies.containsAll(EXPECTED_ANOMALIES) && System.nanoTime() < deadline);
            OutputDumper.dump(client, settings.topics(), out, Duration.ofSeconds(3));

            Set<String> kinds = read(out.resolve(TraceFileAnalyzer.WAKE_EDGES_FILE)).stream()
                    .map(e -> e.path("kind").asText()).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(new TreeSet<>(List.of("BLOCKING", "EXTERNAL", "RUNTIME", "SELF", "TASK")), kinds);
            // The example writes Tokio's resource spans: the ticker waits on its interval's Sleep.
            List<JsonNode> ticker = read(out.resolve(TraceFileAnalyzer.WAKE_EDGES_FILE)).stream()
                    .filter(e -> e.path("wakee").path("name").asText().equals("ticker")).toList();
            assertTrue(ticker.stream().anyMatch(e -> e.path("kind").asText().equals("RUNTIME")),
                    "the timer driver wakes the ticker");
            for (JsonNode e : ticker) {
                // A tick the loaded host made late: the interval resets its Sleep to a deadline
                // already past, and Tokio's time driver fires it at once (Handle::reregister: "the
                // timer was fired synchronously as a result of the reregistration"), inside the
                // ticker's own poll.
                boolean firedInItsPoll = e.path("kind").asText().equals("SELF")
                        && e.path("op").asText().equals("waker.wake");
                assertTrue(e.path("kind").asText().equals("RUNTIME") || firedInItsPoll, e.toString());
                assertEquals("timer Sleep", e.path("waits_on").get(0).path("kind").asText() + " "
                        + e.path("waits_on").get(0).path("concrete_type").asText(), e.toString());
            }
            assertEquals(read(out.resolve(TraceFileAnalyzer.WAKE_EDGES_FILE)).size(),
                    read(out.resolve(TraceFileAnalyzer.WAKE_DELAYS_FILE)).size(), "every wake was followed by a poll");
            // A worker of the example starved by a loaded host is a long delay or poll the example
            // did not make; those lints are held by their own tests.
            Set<String> found = anomalies(out);
            found.removeIf(a -> a.startsWith("LONG_SCHEDULING_DELAY ") || a.startsWith("LONG_POLL "));
            assertEquals(EXPECTED_ANOMALIES, found);
        }
    }

    /** What the example does wrong on purpose: a task only woken from outside, a dropped waker. */
    private static final Set<String> EXPECTED_ANOMALIES =
            new TreeSet<>(List.of("EXTERNAL_ONLY_WAKES ext-only-consumer", "LOST_WAKER lost-waker"));

    private static Set<String> anomalies(Path out) throws IOException {
        return read(out.resolve(TraceFileAnalyzer.ANOMALIES_FILE)).stream()
                .map(a -> a.path("type").asText() + " " + a.path("task").path("name").asText())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank()) {
                    out.add(Json.MAPPER.readTree(line));
                }
            }
        }
        return out;
    }
}
