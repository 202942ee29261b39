package io.tokiowakes.analyze;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokiowakes.ingest.InvalidRecordException;
import io.tokiowakes.ingest.TraceDecoder;
import io.tokiowakes.ingest.TraceRecord;
import io.tokiowakes.json.Json;
import io.tokiowakes.topology.JobMetrics;
import io.tokiowakes.topology.JobSettings;
import io.tokiowakes.topology.Topics;
import io.tokiowakes.topology.WakeTopology;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Runs the job's own topology over a captured trace (JSON lines) in-process and writes each
 * output topic to a file, one value a line: {@code wake-edges.jsonl}, {@code anomalies.jsonl},
 * {@code task-summaries.jsonl}; refused lines go to {@code rejected.jsonl} with their line number.
 */
public final class TraceFileAnalyzer {

    public static final String WAKE_EDGES_FILE = "wake-edges.jsonl";
    public static final String ANOMALIES_FILE = "anomalies.jsonl";
    public static final String TASK_SUMMARIES_FILE = "task-summaries.jsonl";
    public static final String REJECTED_FILE = "rejected.jsonl";

    /** Outputs are drained to files every so many records, so memory stays flat for any input size. */
    private static final int DRAIN_EVERY = 10_000;

    private final JobSettings settings;

    public TraceFileAnalyzer(JobSettings settings) {
        // A file is read once and nothing is restored: state in memory is all it needs.
        this.settings = settings.withInMemoryStores(true);
    }

    public AnalysisResult analyze(TraceLines trace, Path outDir) throws IOException {
        Files.createDirectories(outDir);
        Topics topics = settings.topics();
        JobMetrics metrics = new JobMetrics();
        Path stateDir = Files.createTempDirectory("tokio-wakes-analyze");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "tokio-wakes-analyze");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "in-process:0");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put("processing.exception.handler.global.enabled", "true");
        TraceDecoder keyer = new TraceDecoder(Integer.MAX_VALUE);
        List<Long> lineOfOffset = new ArrayList<>();
        long[] records = {0};
        Instant start = Instant.ofEpochMilli(0);
        try (TopologyTestDriver driver = new TopologyTestDriver(WakeTopology.build(settings, metrics), props, start);
             Outputs outputs = new Outputs(driver, topics, outDir)) {
            TestInputTopic<String, byte[]> input = driver.createInputTopic(topics.input(),
                    new StringSerializer(), new ByteArraySerializer());
            long[] lastMs = {0};
            trace.forEach((lineNo, value) -> {
                // Keyed as a producer keys it, stamped with its own trace time: in one partition,
                // that is the time the job orders by.
                String key = null;
                try {
                    TraceRecord r = keyer.decode(value);
                    key = r.contractKey();
                    lastMs[0] = Math.max(lastMs[0], r.tsNanos() / 1_000_000);
                } catch (InvalidRecordException e) {
                    // refused by the job too, with the reason; the key does not matter
                }
                input.pipeInput(new TestRecord<>(key, value, Instant.ofEpochMilli(lastMs[0])));
                lineOfOffset.add(lineNo);
                if (++records[0] % DRAIN_EVERY == 0) {
                    outputs.drain(lineOfOffset);
                }
            });
            // The end of the file: let the ordering buffer release the tail of every source.
            driver.advanceWallClockTime(Duration.ofMillis(settings.idleFlushMs() + 1000));
            outputs.drain(lineOfOffset);
            return new AnalysisResult(records[0], metrics.snapshot(), outputs.rejected);
        } finally {
            deleteTree(stateDir);
        }
    }

    /** The output topics of the driver, each appended to its file. */
    private static final class Outputs implements AutoCloseable {
        private final TestOutputTopic<String, byte[]> edges;
        private final TestOutputTopic<String, byte[]> anomalies;
        private final TestOutputTopic<String, byte[]> summaries;
        private final TestOutputTopic<String, byte[]> deadLetters;
        private final OutputStream edgesFile;
        private final OutputStream anomaliesFile;
        private final OutputStream summariesFile;
        private final BufferedWriter rejectedFile;
        long rejected;

        Outputs(TopologyTestDriver driver, Topics topics, Path dir) throws IOException {
            edges = output(driver, topics.wakeEdges());
            anomalies = output(driver, topics.anomalies());
            summaries = output(driver, topics.taskSummaries());
            deadLetters = output(driver, topics.deadLetter());
            edgesFile = Files.newOutputStream(dir.resolve(WAKE_EDGES_FILE));
            anomaliesFile = Files.newOutputStream(dir.resolve(ANOMALIES_FILE));
            summariesFile = Files.newOutputStream(dir.resolve(TASK_SUMMARIES_FILE));
            rejectedFile = Files.newBufferedWriter(dir.resolve(REJECTED_FILE));
        }

        private static TestOutputTopic<String, byte[]> output(TopologyTestDriver driver, String topic) {
            return driver.createOutputTopic(topic, new StringDeserializer(), new ByteArrayDeserializer());
        }

        void drain(List<Long> lineOfOffset) throws IOException {
            copy(edges, edgesFile);
            copy(anomalies, anomaliesFile);
            copy(summaries, summariesFile);
            while (!deadLetters.isEmpty()) {
                TestRecord<String, byte[]> r = deadLetters.readRecord();
                int offset = Integer.parseInt(header(r, "__streams.errors.offset"));
                ObjectNode o = Json.MAPPER.createObjectNode();
                o.put("line", lineOfOffset.get(offset));
                o.put("reason", header(r, "__streams.errors.message"));
                o.put("value", new String(r.value(), StandardCharsets.UTF_8));
                rejectedFile.write(Json.MAPPER.writeValueAsString(o));
                rejectedFile.newLine();
                rejected++;
            }
        }

        private static String header(TestRecord<String, byte[]> r, String name) {
            Header h = r.headers().lastHeader(name);
            return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
        }

        private static void copy(TestOutputTopic<String, byte[]> topic, OutputStream file) throws IOException {
            for (byte[] value : topic.readValuesToList()) {
                file.write(value);
                file.write('\n');
            }
        }

        @Override
        public void close() throws IOException {
            edgesFile.close();
            anomaliesFile.close();
            summariesFile.close();
            rejectedFile.close();
        }
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // A leftover temp directory is not worth failing an analysis for.
        }
    }
}
