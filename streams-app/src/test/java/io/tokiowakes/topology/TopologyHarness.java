package io.tokiowakes.topology;

import io.tokiowakes.engine.JobMetrics;
import com.fasterxml.jackson.databind.JsonNode;
import io.tokiowakes.ingest.InvalidRecordException;
import io.tokiowakes.ingest.TraceDecoder;
import io.tokiowakes.emit.Anomaly;
import io.tokiowakes.emit.TaskSummary;
import io.tokiowakes.emit.WakeDelay;
import io.tokiowakes.emit.WakeEdge;
import io.tokiowakes.json.Json;
import io.tokiowakes.model.AnomalyType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** Drives the job's topology in-process (TopologyTestDriver) and reads its outputs as JSON. */
public final class TopologyHarness implements AutoCloseable {

    /**
     * Wall-clock time let pass after the last record: the filter's heartbeats (every 100 ms)
     * then report every input partition read to its end, and the ordering buffer releases all.
     */
    public static final Duration FLUSH = Duration.ofMillis(1500);

    final JobSettings settings;
    final JobMetrics metrics = new JobMetrics();
    private final TopologyTestDriver driver;
    /** The driver's state folder, removed at {@link #close}. */
    private final File stateDir;
    private final TestInputTopic<String, byte[]> input;
    final List<JsonNode> edges = new ArrayList<>();
    final List<JsonNode> delays = new ArrayList<>();
    final List<String> delayKeys = new ArrayList<>();
    final List<JsonNode> anomalies = new ArrayList<>();
    final List<JsonNode> summaries = new ArrayList<>();
    final List<TestRecord<String, byte[]>> deadLetters = new ArrayList<>();
    final List<String> edgeKeys = new ArrayList<>();
    private final TestOutputTopic<String, byte[]> edgesOut;
    private final TestOutputTopic<String, byte[]> delaysOut;
    private final TestOutputTopic<String, byte[]> anomaliesOut;
    private final TestOutputTopic<String, byte[]> summariesOut;
    private final TestOutputTopic<String, byte[]> dlqOut;
    /** Whether outputs are taken off their topics and parsed as JSON at each drain. */
    private final boolean collect;

    TopologyHarness() {
        this(JobSettings.defaults());
    }

    TopologyHarness(JobSettings settings) {
        this(settings, true);
    }

    /**
     * The topology with its outputs left on their topics, read as raw bytes with {@link #read}
     * (for any output format, e.g. Avro).
     */
    public static TopologyHarness raw(JobSettings settings) {
        return new TopologyHarness(settings, false);
    }

    private TopologyHarness(JobSettings settings, boolean collect) {
        this.settings = settings;
        this.collect = collect;
        Properties config = driverConfig("harness");
        stateDir = new File(config.getProperty(StreamsConfig.STATE_DIR_CONFIG));
        driver = new TopologyTestDriver(WakeTopology.build(settings, metrics), config, Instant.EPOCH);
        Topics t = settings.topics();
        input = driver.createInputTopic(t.input(), new StringSerializer(), new ByteArraySerializer());
        edgesOut = out(t.wakeEdges());
        delaysOut = out(t.wakeDelays());
        anomaliesOut = out(t.anomalies());
        summariesOut = out(t.taskSummaries());
        dlqOut = out(t.deadLetter());
    }

    /** Settings of a TopologyTestDriver: an application id, no broker, a state folder of its own. */
    public static Properties driverConfig(String name) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, name);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "in-process:0");
        try {
            props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(name).toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return props;
    }

    private TestOutputTopic<String, byte[]> out(String topic) {
        return driver.createOutputTopic(topic, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Pipes the records in this order, keyed as the contract says, then lets the ordering buffer drain. */
    TopologyHarness run(List<String> records) {
        pipe(records);
        return flush();
    }

    TopologyHarness run(TraceScript... scripts) {
        for (TraceScript s : scripts) {
            pipe(s.records());
        }
        return flush();
    }

    TopologyHarness pipe(List<String> records) {
        TraceDecoder decoder = new TraceDecoder(Integer.MAX_VALUE);
        for (String line : records) {
            byte[] value = line.getBytes(StandardCharsets.UTF_8);
            String key = null;
            try {
                var r = decoder.decode(value);
                key = r.contractKey();
                lastMs = r.tsNanos() / 1_000_000;
            } catch (InvalidRecordException e) {
                // the job refuses it; its key and time do not matter
            }
            input.pipeInput(key, value, lastMs);
        }
        return this;
    }

    private long lastMs;

    public TopologyHarness pipeBytes(String key, byte[] value) {
        input.pipeInput(key, value);
        return this;
    }

    /** @param timestampMs the record's Kafka timestamp */
    public TopologyHarness pipeBytes(String key, byte[] value, long timestampMs) {
        input.pipeInput(key, value, timestampMs);
        return this;
    }

    public TopologyHarness flush() {
        driver.advanceWallClockTime(FLUSH);
        drain();
        return this;
    }

    public TopologyHarness advanceWallClock(Duration d) {
        driver.advanceWallClockTime(d);
        return drain();
    }

    TopologyHarness drain() {
        if (!collect) {
            return this;
        }
        for (TestRecord<String, byte[]> r : edgesOut.readRecordsToList()) {
            edges.add(parse(r.value()));
            edgeKeys.add(r.key());
        }
        for (TestRecord<String, byte[]> r : delaysOut.readRecordsToList()) {
            delays.add(parse(r.value()));
            delayKeys.add(r.key());
        }
        anomaliesOut.readValuesToList().forEach(v -> anomalies.add(parse(v)));
        summariesOut.readValuesToList().forEach(v -> summaries.add(parse(v)));
        deadLetters.addAll(dlqOut.readRecordsToList());
        return this;
    }

    private static JsonNode parse(byte[] v) {
        try {
            return Json.MAPPER.readTree(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The edges woken into that span, in output order. */
    List<JsonNode> edgesTo(long wakee) {
        return edges.stream().filter(e -> e.path("wakee").path("span_id").asLong() == wakee).toList();
    }

    /** The edges woken into that span as the job's values (read back from their topic), in output order. */
    List<WakeEdge> wakesOf(long wakee) {
        return valuesOf(edgesTo(wakee), WakeEdge.class);
    }

    /** All edges as the job's values (read back from their topic), in output order. */
    List<WakeEdge> allWakes() {
        return valuesOf(edges, WakeEdge.class);
    }

    /** The wake delays of that span's wakes as the job's values (read back from their topic), in output order. */
    List<WakeDelay> wakeDelaysOf(long wakee) {
        return valuesOf(delaysOf(wakee), WakeDelay.class);
    }

    /** All anomalies as the job's values (read back from their topic), in output order. */
    List<Anomaly> allAnomalies() {
        return valuesOf(anomalies, Anomaly.class);
    }

    /** The anomalies reported of that span as the job's values (read back from their topic), in output order. */
    List<Anomaly> anomaliesOf(long spanId) {
        return allAnomalies().stream().filter(a -> a.task().spanId() == spanId).toList();
    }

    /** The types of the anomalies reported of that span, in output order. */
    List<AnomalyType> anomalyTypesOf(long spanId) {
        return anomaliesOf(spanId).stream().map(Anomaly::type).toList();
    }

    /** The summary of that span's task as the job's value (read back from its topic). */
    TaskSummary summaryOf(long spanId) {
        return valueOf(summary(spanId), TaskSummary.class);
    }

    /** Outputs read back from their JSON as the job's values of that type. */
    private static <T> List<T> valuesOf(List<JsonNode> nodes, Class<T> type) {
        return nodes.stream().map(n -> valueOf(n, type)).toList();
    }

    private static <T> T valueOf(JsonNode node, Class<T> type) {
        return Json.MAPPER.convertValue(node, type);
    }

    /** The wake delays of that span's wakes, in output order. */
    List<JsonNode> delaysOf(long wakee) {
        return delays.stream().filter(d -> d.path("wakee").path("span_id").asLong() == wakee).toList();
    }

    JsonNode summary(long spanId) {
        return summaries.stream().filter(s -> s.path("task").path("span_id").asLong() == spanId)
                .findFirst().orElseThrow(() -> new AssertionError("no summary for span " + spanId));
    }

    /** What is on an output topic and not read yet (a harness made with {@link #raw}). */
    public List<TestRecord<String, byte[]>> read(String topic) {
        return out(topic).readRecordsToList();
    }

    public Topics topics() {
        return settings.topics();
    }

    public JobMetrics metrics() {
        return metrics;
    }

    /** The driver, for what sits on top of the topology (stores read by the API). */
    public TopologyTestDriver driver() {
        return driver;
    }

    /** Records in the ordering buffer, over all sources. */
    long heldRecords() {
        long n = 0;
        try (var it = driver.<String, io.tokiowakes.model.SourceState>getKeyValueStore(StoreNames.SOURCES).all()) {
            while (it.hasNext()) {
                n += it.next().value.buffered;
            }
        }
        return n;
    }

    /** Entries in one of the topology's key-value stores. */
    /** What the job has written to a store's changelog since the last call, oldest first (a null value: a delete). */
    List<TestRecord<String, byte[]>> changelog(String store) {
        return driver.createOutputTopic("harness-" + store + "-changelog", new StringDeserializer(), new ByteArrayDeserializer())
                .readRecordsToList();
    }

    long storeEntries(String store) {
        long n = 0;
        try (var it = driver.getKeyValueStore(store).all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() {
        driver.close();
        try {
            // Each harness has a state folder of its own; thousands of tests would leave as many.
            Utils.delete(stateDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
