package io.tokiowakes.cli;

import io.tokiowakes.cli.JarRuns.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The tools jar as users run it ({@code java -jar tokio-wakes-tools.jar ...}, from a folder
 * outside the project, with an empty cache): it carries the job and the broker.
 */
class ToolsCliIT {

    private static final Path JAR = Path.of(System.getProperty("tokio.wakes.tools.jar", "target/tokio-wakes-tools.jar"))
            .toAbsolutePath();

    private static Process start(Path dir, String name, Path cwd, List<String> args) throws Exception {
        return JarRuns.start(JAR, dir, name, cwd, args);
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
        Run demo = JarRuns.finish(dir, "demo", start(dir, "demo", anywhere, List.of("demo", "--dir", dir.resolve("demo").toString())),
                t0, Duration.ofMinutes(3));
        assertEquals(0, demo.exit(), demo.out() + demo.err());
        assertTrue(demo.out().contains("wake edges (4):"), demo.out());
        for (String task : List.of("receiver (task 4, span 8)", "sender-task (task 5, span 2251799813685257)",
                "(thread ThreadId(4))")) {
            assertTrue(demo.out().contains(task), task + " in:\n" + demo.out());
        }
        assertTrue(demo.out().contains("anomalies (0):"), demo.out());
        assertTrue(!JarRuns.NOISE.matcher(demo.out() + demo.err()).find(), "a healthy demo logs no warning:\n" + demo.err());
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

    /** The job's jar carries neither the tools nor the broker: they are this jar's. */
    @Test
    void theJobJarCarriesNoTool() throws Exception {
        Path jobJar = Path.of(System.getProperty("user.dir")).resolve("../streams-app/target/streams-app.jar").normalize();
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(jobJar.toFile())) {
            assertTrue(jar.getEntry("io/tokiowakes/cli/Main.class") != null, "the job's CLI is in " + jobJar);
            for (String tool : List.of("io/tokiowakes/bench/Benchmark.class", "io/tokiowakes/broker/LocalKafka.class",
                    "io/tokiowakes/cli/DemoCommand.class", "kafka-broker/log4j2.properties",
                    "org/apache/kafka/streams/TopologyTestDriver.class")) {
                assertFalse(jar.getEntry(tool) != null, tool + " in the job's jar");
            }
        }
    }
}
