package io.tokiowakes.kafka;

import io.tokiowakes.analyze.ExpectedWakes;
import io.tokiowakes.analyze.PerThreadBuffers;
import io.tokiowakes.analyze.TraceFileAnalyzer;
import io.tokiowakes.observe.MetricsEndpoint;
import io.tokiowakes.observe.StoreAccess;
import io.tokiowakes.topology.JobSettings;
import io.tokiowakes.topology.WakeGraph;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job on a real Kafka broker: both real fixtures, published with the contract's keys into
 * 1, 4 and 8 partitions and delivered interleaved, give exactly the expected edges and anomalies,
 * and exactly what {@code analyze} gives on the same records.
 */
class WakeJobIT {

    @RegisterExtension
    static final LocalKafkaExtension KAFKA = new LocalKafkaExtension();

    @ParameterizedTest(name = "{0} input partitions")
    @ValueSource(ints = {1, 4, 8})
    void fixturesGiveTheExpectedResultsWhateverThePartitioning(int partitions, @TempDir Path dir) throws Exception {
        List<byte[]> records = new ArrayList<>();
        for (String fixture : ExpectedWakes.FIXTURES) {
            records.addAll(KafkaTestSupport.fixture(fixture));
        }
        List<byte[]> delivered = KafkaTestSupport.interleaved(records, partitions);
        assertJobGives(ExpectedWakes.fixtures(ExpectedWakes.FIXTURES.toArray(String[]::new)), records, delivered,
                partitions, "p" + partitions, dir);
    }

    /**
     * Every real fixture re-sent as collectors with per-thread buffers send it (three seeds each,
     * buffers of up to 256 records, each copy under a source name of its own), through four input
     * partitions: exactly the expected results, no late record, and what {@code analyze} gives.
     */
    @org.junit.jupiter.api.Test
    void tracesResentWithPerThreadBuffersGiveTheExpectedResults(@TempDir Path dir) throws Exception {
        String[] fixtures = ExpectedWakes.FIXTURES.toArray(String[]::new);
        List<byte[]> records = new ArrayList<>();
        ExpectedWakes expected = ExpectedWakes.none();
        for (long seed = 1; seed <= 3; seed++) {
            String suffix = "/resent-" + seed;
            for (String fixture : fixtures) {
                records.addAll(PerThreadBuffers.resend(
                        PerThreadBuffers.renameSources(KafkaTestSupport.fixture(fixture), suffix), seed, 256));
            }
            expected = expected.plus(ExpectedWakes.renamedFixtures(suffix, fixtures));
        }
        assertTrue(PerThreadBuffers.outOfOrder(records) > 0, "records arrive out of seq order");

        assertJobGives(expected, records, records, 4, "resent", dir);
    }

    /**
     * Runs the job on a fresh pipeline, replays {@code delivered} (the {@code records} in the
     * order Kafka gets them) and checks: the expected edges and anomalies, no late record, and
     * byte for byte the outputs {@code analyze} gives on the records.
     */
    private static void assertJobGives(ExpectedWakes expected, List<byte[]> records, List<byte[]> delivered,
                                       int partitions, String name, Path dir) throws Exception {
        JobSettings settings = KafkaTestSupport.pipeline(name);
        Properties client = KafkaTestSupport.client(KAFKA.bootstrapServers());
        TopicSetup.ensure(client, settings.topics(), partitions, partitions);
        Path out = dir.resolve("job");
        try (WakeJob job = new WakeJob(KafkaTestSupport.streamsConfig(KAFKA.bootstrapServers(), settings, dir.resolve("state")), settings).start()) {
            assertTrue(job.awaitRunning(Duration.ofSeconds(60)), "job running");
            try (TraceReplayer replayer = new TraceReplayer(client, settings.topics().input(), 0)) {
                delivered.forEach(replayer::send);
                replayer.flush();
            }
            awaitEdges(client, settings, out, expected.edgeCount());
            assertEquals(0, job.metrics().get("late-records"), "nothing arrived past the ordering window");
        }
        assertEquals(List.of(), expected.differences(ExpectedWakes.fromOutputs(out)));

        Path analyzed = dir.resolve("analyze");
        new TraceFileAnalyzer(settings).analyze(sink -> {
            long n = 0;
            for (byte[] r : records) {
                sink.accept(++n, r);
            }
        }, analyzed);
        for (String file : List.of(TraceFileAnalyzer.WAKE_EDGES_FILE, TraceFileAnalyzer.WAKE_DELAYS_FILE,
                TraceFileAnalyzer.ANOMALIES_FILE, TraceFileAnalyzer.TASK_SUMMARIES_FILE)) {
            assertEquals(sorted(analyzed.resolve(file)), sorted(out.resolve(file)), file + " equals analyze's");
        }
    }

    @org.junit.jupiter.api.Test
    void partitionsThatNeverGetARecordDoNotHoldTheOthersBack(@TempDir Path dir) throws Exception {
        JobSettings settings = KafkaTestSupport.pipeline("empty-partitions");
        Properties client = KafkaTestSupport.client(KAFKA.bootstrapServers());
        TopicSetup.ensure(client, settings.topics(), 4, 4);
        Path out = dir.resolve("job");
        Properties streams = KafkaTestSupport.streamsConfig(KAFKA.bootstrapServers(), settings, dir.resolve("state"));
        try (WakeJob job = new WakeJob(streams, settings).start()) {
            assertTrue(job.awaitRunning(Duration.ofSeconds(60)), "job running");
            try (TraceReplayer replayer = new TraceReplayer(client, settings.topics().input(), 0)) {
                // One key for everything: one partition gets the whole trace, three stay empty.
                KafkaTestSupport.fixture("seed-program").forEach(r -> replayer.send("one-key", r));
                replayer.flush();
            }
            ExpectedWakes expected = ExpectedWakes.fixtures("seed-program");
            awaitEdges(client, settings, out, expected.edgeCount());
            assertEquals(List.of(), expected.differences(ExpectedWakes.fromOutputs(out)));
            assertMetricsOfBothStoreKindsAreExported(job);
            assertWrittenTopicsIndexSparsely(client, settings, streams.getProperty(StreamsConfig.APPLICATION_ID_CONFIG));
        }
    }

    /**
     * The topics the job writes in transactions (an output, the dead letters, a changelog, the
     * repartition topic) add an index entry a MiB, not one after each commit's batch.
     */
    private static void assertWrittenTopicsIndexSparsely(Properties client, JobSettings settings, String applicationId)
            throws Exception {
        List<ConfigResource> topics = Stream.of(settings.topics().wakeEdges(), settings.topics().deadLetter(),
                        applicationId + "-" + WakeGraph.LIVE_TASKS + "-changelog", applicationId + "-by-source-repartition")
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        try (Admin admin = Admin.create(client)) {
            admin.describeConfigs(topics).all().get().forEach((topic, config) -> assertEquals(
                    String.valueOf(TopicSetup.INDEX_INTERVAL_BYTES),
                    config.get(TopicConfig.INDEX_INTERVAL_BYTES_CONFIG).value(), topic.name()));
        }
    }

    /**
     * /metrics of a running job: Kafka Streams names the store-type in a tag's name, so RocksDB and
     * in-memory stores give one metric with two label sets; both are exported, nothing is refused.
     */
    private static void assertMetricsOfBothStoreKindsAreExported(WakeJob job) {
        try (MetricsEndpoint metrics = new MetricsEndpoint(job.metrics(), job.streams(),
                () -> StoreAccess.of(job.streams(), null), System::currentTimeMillis)) {
            String scrape = metrics.scrape();
            List<String> refused = metrics.failedRegistrations();
            assertTrue(refused.isEmpty(), refused.size() + " meters refused by Prometheus, e.g. " + refused.stream().findFirst());
            for (String store : List.of("store=\"live-tasks\"",
                    "store=\"held-batches\"")) {
                assertTrue(scrape.lines().anyMatch(l -> l.startsWith("kafka_stream_state_range_latency_max{") && l.contains(store)),
                        store + " in\n" + scrape.lines().filter(l -> l.startsWith("kafka_stream_state_range")).toList());
            }
        }
    }

    /** Dumps the outputs until the expected number of edges is there and nothing more comes. */
    static void awaitEdges(Properties client, JobSettings settings, Path out, int edges) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            Map<String, Long> counts = OutputDumper.dump(client, settings.topics(), out, Duration.ofSeconds(2));
            if (counts.getOrDefault(TraceFileAnalyzer.WAKE_EDGES_FILE, 0L) >= edges || System.nanoTime() > deadline) {
                break;
            }
        }
        // Whatever the job still had to say (summaries, late anomalies) is in after a quiet spell.
        OutputDumper.dump(client, settings.topics(), out, Duration.ofSeconds(3));
    }

    private static List<String> sorted(Path file) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.removeIf(String::isBlank);
        lines.sort(null);
        return lines;
    }
}
