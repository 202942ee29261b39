package io.tokiowakes.topology;

import io.tokiowakes.detect.LintSettings;
import io.tokiowakes.graph.GraphSettings;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The job's settings, read and checked in one place. */
class JobConfigTest {

    private static final Path README = Path.of(System.getProperty("user.dir")).resolve("../README.md").normalize();

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    private static String refused(String... kv) {
        return assertThrows(IllegalArgumentException.class, () -> JobSettings.from(props(kv))).getMessage();
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        JobSettings d = JobSettings.defaults();
        assertEquals(Topics.DEFAULT, d.topics());
        assertEquals(Duration.ofMillis(200).toNanos(), d.reorderWindowNanos());
        assertEquals(1 << 20, d.maxRecordBytes());
        assertEquals(WireFormat.JSON, d.inputFormat());
        assertEquals(WireFormat.JSON, d.outputFormat());
        assertFalse(d.inMemoryStores());
        assertEquals(1, d.inputPartitions());
        assertEquals(new LintSettings(100, Duration.ofMillis(5).toNanos(), 10, 50, Duration.ofSeconds(1).toNanos(), 1024),
                d.lints());
        assertEquals(new GraphSettings(60_000, 600_000, 1_000), d.graph());
        assertEquals(500, d.backlogCommitMs());
        assertEquals(0, d.commitMs(), "learnt on a cluster");
        assertFalse(d.commitsPaced(), "in-process: no task asks for commits");
        assertTrue(d.withCommitInterval(100).commitsPaced(), "on a cluster, exactly-once: paced by default");
        assertFalse(d.withBacklogCommitInterval(0).withCommitInterval(100).commitsPaced(), "0: off");
        assertFalse(d.withBacklogCommitInterval(500).withCommitInterval(500).commitsPaced(),
                "a backlog interval no longer than commit.interval.ms");
    }

    @Test
    void everySettingIsRead() {
        JobSettings s = JobSettings.from(props("topic.prefix", "p.", "topic.input", "in", "reorder.window.ms", "50",
                "input.max-record-bytes", "100", "input.format", "AVRO", "output.format", "avro",
                "state.stores", "in-memory", "lint.external-only.min-wakes", "3", "lint.lost-waker.grace-ms", "7",
                "lint.self-wake.min-wakes", "4", "lint.self-wake.percent", "90", "lint.long-poll.ms", "20",
                "lint.large-future.bytes", "64", "lint.scheduling-delay.ms", "30", "graph.window.ms", "1000", "graph.retention.ms", "5000",
                "graph.emit.ms", "10", "backlog.commit.interval.ms", "800"));
        assertEquals(Topics.withPrefix("p.").withInput("in"), s.topics());
        assertEquals(Duration.ofMillis(50).toNanos(), s.reorderWindowNanos());
        assertEquals(100, s.maxRecordBytes());
        assertEquals(WireFormat.AVRO, s.inputFormat());
        assertEquals(WireFormat.AVRO, s.outputFormat());
        assertTrue(s.inMemoryStores());
        assertEquals(new LintSettings(3, Duration.ofMillis(7).toNanos(), 4, 90, Duration.ofMillis(20).toNanos(), 64,
                Duration.ofMillis(30).toNanos()),
                s.lints());
        assertEquals(new GraphSettings(1000, 5000, 10), s.graph());
        assertEquals(800, s.backlogCommitMs());
        assertEquals(JobConfig.knownKeys().size(), 18, "every key above is one: " + JobConfig.knownKeys());
    }

    @Test
    void kafkaSettingsAreNotTheJobs() {
        JobSettings s = JobSettings.from(props("security.protocol", "SASL_SSL", "linger.ms", "5",
                "config.providers", "file", "bootstrap.servers", "x:1"));
        assertEquals(JobSettings.defaults(), s);
        assertFalse(JobSettings.isJobKey("linger.ms"));
        assertTrue(JobSettings.isJobKey("state.stores"));
        assertTrue(JobSettings.isJobKey("graph.anything"));
    }

    @Test
    void anUnknownJobSettingNamesItsGroup() {
        assertEquals("unknown setting graph.window.sec (known graph.* settings: graph.emit.ms, graph.retention.ms, "
                + "graph.window.ms)", refused("graph.window.sec", "60", "linger.ms", "5"));
    }

    @Test
    void badValuesAreRefusedInOneLine() {
        assertEquals("lint.long-poll.ms must be a whole number (up to 2147483647), not \"1s\"",
                refused("lint.long-poll.ms", "1s"));
        assertEquals("reorder.window.ms must be a whole number (up to 2147483647), not \"9999999999\"",
                refused("reorder.window.ms", "9999999999"));
        for (String[] bad : new String[][]{{"graph.emit.ms", "0"}, {"graph.retention.ms", "-1"},
                {"lint.self-wake.percent", "101"}, {"state.stores", "disk"}, {"input.format", "xml"},
                {"output.format", ""}, {"input.max-record-bytes", "0"}, {"reorder.window.ms", "-5"}}) {
            String message = refused(bad);
            assertTrue(message.contains(bad[0]) && !message.contains("\n"), message);
        }
    }

    @Test
    void theFirstBadKeyInSortedOrderIsNamed() {
        assertTrue(refused("reorder.window.ms", "x", "lint.long-poll.ms", "y").startsWith("lint.long-poll.ms "));
    }

    /** README's table of settings is the definition's: the same keys, defaults and descriptions. */
    @Test
    void readmeDocumentsEverySetting() throws IOException {
        String readme = Files.readString(README);
        String table = JobConfig.markdownTable();
        assertTrue(readme.contains(table), "README.md should hold this table (JobConfig.markdownTable()):\n" + table);
        for (String key : JobConfig.knownKeys()) {
            assertTrue(table.contains("| `" + key + "` |"), key);
        }
    }

    @Test
    void theTableListsEveryKeyWithItsDefault() {
        Map<String, ?> defaults = new JobConfig(Map.of()).values();
        String table = JobConfig.markdownTable();
        assertEquals(defaults.size() + 2, table.lines().count(), table);
        assertTrue(table.contains("| `reorder.window.ms` | `200` |"), table);
        assertTrue(table.contains("| `topic.input` |  |"), table);
    }
}
