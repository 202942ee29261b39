package io.tokiowakes.cli;

import io.tokiowakes.analyze.ExpectedWakes;
import io.tokiowakes.kafka.LocalKafkaExtension;
import io.tokiowakes.kafka.KafkaTestSupport;
import io.tokiowakes.kafka.TopicSetup;
import io.tokiowakes.kafka.WakeJob;
import io.tokiowakes.topology.JobSettings;
import io.tokiowakes.topology.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI against a real broker: replay and dump around a running job (the demo: OperatorCliIT). */
class CommandsIT {

    @RegisterExtension
    static final LocalKafkaExtension KAFKA = new LocalKafkaExtension();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream oldOut;


    @BeforeEach
    void capture() {
        oldOut = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
    }

    @Test
    void replayThenDumpAroundTheJobGivesTheExpectedWakes(@TempDir Path dir) throws Exception {
        String prefix = "cli-" + System.nanoTime() + ".";
        JobSettings settings = JobSettings.defaults().withTopics(Topics.withPrefix(prefix));
        TopicSetup.ensure(KafkaTestSupport.client(KAFKA.bootstrapServers()), settings.topics(), 4, 4);
        Path trace = KafkaTestSupport.writeLines(dir.resolve("seed.jsonl"), KafkaTestSupport.fixture("seed-program"));
        try (WakeJob job = new WakeJob(KafkaTestSupport.streamsConfig(KAFKA.bootstrapServers(), settings, dir.resolve("state")), settings).start()) {
            assertTrue(job.awaitRunning(Duration.ofSeconds(60)));
            assertEquals(0, Main.execute("replay", "--bootstrap-server", KAFKA.bootstrapServers(),
                    "--topic-prefix", prefix, "--input", trace.toString()));
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("replayed 148 records to " + prefix + "tokio.trace"));
            Path dumped = dir.resolve("out");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            do {
                assertEquals(0, Main.execute("dump", "--bootstrap-server", KAFKA.bootstrapServers(),
                        "--topic-prefix", prefix, "--out", dumped.toString(), "--idle-ms", "2000"));
            } while (Files.readAllLines(dumped.resolve("wake-edges.jsonl")).size() < 4 && System.nanoTime() < deadline);
            assertEquals(List.of(), ExpectedWakes.fixtures("seed-program").differences(ExpectedWakes.fromOutputs(dumped)));
        }
    }

    @Test
    void replayAndDumpSpeakAvroWhenTheTopicsDo(@TempDir Path dir) throws Exception {
        String prefix = "cli-avro-" + System.nanoTime() + ".";
        Path config = Files.writeString(dir.resolve("avro.properties"),
                "input.format=avro\noutput.format=avro\ntopic.prefix=" + prefix + "\n");
        java.util.Properties props = new java.util.Properties();
        props.load(Files.newBufferedReader(config));
        JobSettings settings = JobSettings.from(props);
        TopicSetup.ensure(KafkaTestSupport.client(KAFKA.bootstrapServers()), settings.topics(), 4, 4);
        Path trace = KafkaTestSupport.writeLines(dir.resolve("seed.jsonl"), KafkaTestSupport.fixture("seed-program"));
        try (WakeJob job = new WakeJob(KafkaTestSupport.streamsConfig(KAFKA.bootstrapServers(), settings, dir.resolve("state")), settings).start()) {
            assertTrue(job.awaitRunning(Duration.ofSeconds(60)));
            assertEquals(0, Main.execute("replay", "--bootstrap-server", KAFKA.bootstrapServers(),
                    "--config", config.toString(), "--input", trace.toString()));
            Path dumped = dir.resolve("out");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            do {
                assertEquals(0, Main.execute("dump", "--bootstrap-server", KAFKA.bootstrapServers(),
                        "--config", config.toString(), "--out", dumped.toString(), "--idle-ms", "2000"));
            } while (Files.readAllLines(dumped.resolve("wake-edges.jsonl")).size() < 4 && System.nanoTime() < deadline);
            assertEquals(List.of(), ExpectedWakes.fixtures("seed-program").differences(ExpectedWakes.fromOutputs(dumped)));
            assertEquals(0, job.metrics().get("dead-letters"), "every replayed record was Avro the job could read");
        }
    }

    @Test
    void commandsWithoutABrokerAddressSayWhatIsMissing() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertEquals(2, Main.execute("dump", "--out", "/tmp/x"));
        } finally {
            System.setErr(oldErr);
        }
        // KAFKA_BOOTSTRAP_SERVERS may be set where this runs; then the command has an address.
        if (System.getenv("KAFKA_BOOTSTRAP_SERVERS") == null) {
            assertEquals("dump: no Kafka to talk to: give --bootstrap-server (or KAFKA_BOOTSTRAP_SERVERS)",
                    err.toString(StandardCharsets.UTF_8).strip());
        }
    }
}
