package io.tokiowakes.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The settings of the commands that talk to Kafka: the job's are checked, Kafka's pass through. */
class KafkaOptionsTest {

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldErr;

    @BeforeEach
    void capture() {
        oldErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(oldErr);
    }

    private String oneLine() {
        String e = err.toString(StandardCharsets.UTF_8).strip();
        assertEquals(1, e.lines().count(), e);
        return e;
    }

    @Test
    void anUnknownJobSettingIsRefusedBeforeKafkaIsTried(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("job.properties"),
                "lint.lost-waker.grace-msx=50\nsecurity.protocol=PLAINTEXT\n");
        assertEquals(2, Main.execute("run", "--bootstrap-server", "127.0.0.1:1", "--config", config.toString()));
        assertEquals("run: " + config + ": unknown setting lint.lost-waker.grace-msx (known lint.* settings: "
                + "lint.external-only.min-wakes, lint.large-future.bytes, lint.long-poll.ms, lint.lost-waker.grace-ms, "
                + "lint.scheduling-delay.ms, lint.self-wake.min-wakes, lint.self-wake.percent)", oneLine());

        err.reset();
        assertEquals(2, Main.execute("replay", "--bootstrap-server", "127.0.0.1:1", "--input", config.toString(),
                "-X", "graph.window.sec=60"));
        assertEquals("replay: unknown setting graph.window.sec (known graph.* settings: graph.emit.ms, "
                + "graph.retention.ms, graph.window.ms)", oneLine());
    }

    /** A job setting out of its range (here a graph.* one) is one line too, before Kafka is tried. */
    @Test
    void aJobSettingOutOfRangeIsRefusedBeforeKafkaIsTried(@TempDir Path dir) {
        assertEquals(2, Main.execute("run", "--bootstrap-server", "127.0.0.1:1", "-X", "graph.emit.ms=0"));
        assertEquals("run: Invalid value 0 for configuration graph.emit.ms: Value must be at least 1", oneLine());
    }

    /** Kafka's own settings, known to the job or not, go to the clients as they are. */
    @Test
    void kafkaClientSettingsPassThrough(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("job.properties"), String.join("\n",
                "lint.lost-waker.grace-ms=50", "graph.window.ms=30000", "state.stores=in-memory",
                "security.protocol=PLAINTEXT", "client.dns.lookup=use_all_dns_ips", "linger.ms=5", ""));
        assertEquals(2, Main.execute("dump", "--bootstrap-server", "127.0.0.1:1", "--config", config.toString(),
                "--out", dir.resolve("out").toString(), "--connect-timeout-ms", "300"));
        String line = oneLine();
        assertTrue(line.startsWith("dump: cannot reach Kafka at 127.0.0.1:1 (connection refused) within 0.3 s"), line);
    }

    @Test
    void aBadBootstrapAddressIsOneLine(@TempDir Path dir) {
        assertEquals(2, Main.execute("dump", "--bootstrap-server", "localhost", "--out", dir.resolve("out").toString()));
        assertEquals("dump: bootstrap server \"localhost\" is not HOST:PORT", oneLine());
        assertTrue(!Files.exists(dir.resolve("out")), "nothing written before Kafka answered");
    }
}
