package io.tokiowakes.observe;

import io.tokiowakes.analyze.TraceLines;
import io.tokiowakes.ingest.InvalidRecordException;
import io.tokiowakes.ingest.TraceDecoder;
import io.tokiowakes.engine.JobMetrics;
import io.tokiowakes.topology.JobSettings;
import io.tokiowakes.topology.TopologyHarness;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/** The job's topology in-process, with the observe side (stores, API, metrics) on top of it. */
final class ObserveHarness implements AutoCloseable {

    final JobSettings settings;
    final JobMetrics metrics;
    final TopologyTestDriver driver;
    private final TopologyHarness topology;
    final TestOutputTopic<String, String> graph;
    final TestOutputTopic<String, String> summaries;
    final TestOutputTopic<String, String> delays;

    /** @param config job settings (e.g. {@code graph.window.ms}) over the defaults */
    ObserveHarness(Map<String, String> config) {
        Properties job = new Properties();
        job.putAll(config);
        settings = JobSettings.from(job);
        topology = TopologyHarness.raw(settings);
        metrics = topology.metrics();
        driver = topology.driver();
        graph = driver.createOutputTopic(settings.topics().wakeGraph(), new StringDeserializer(), new StringDeserializer());
        summaries = driver.createOutputTopic(settings.topics().taskSummaries(), new StringDeserializer(), new StringDeserializer());
        delays = driver.createOutputTopic(settings.topics().wakeDelays(), new StringDeserializer(), new StringDeserializer());
    }

    ObserveHarness() {
        this(Map.of());
    }

    /** Pipes a fixture with the contract's keys and lets the ordering buffer drain. */
    ObserveHarness fixture(String name) {
        TraceDecoder decoder = new TraceDecoder(Integer.MAX_VALUE);
        try (InputStream in = ObserveHarness.class.getResourceAsStream("/fixtures/" + name + ".jsonl")) {
            TraceLines.of(in).forEach((n, value) -> {
                String key;
                try {
                    key = decoder.decode(value).contractKey();
                } catch (InvalidRecordException e) {
                    key = null;
                }
                topology.pipeBytes(key, value, 0);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return advance(TopologyHarness.FLUSH);
    }

    ObserveHarness pipe(String key, byte[] value) {
        topology.pipeBytes(key, value, 0);
        return this;
    }

    ObserveHarness advance(Duration d) {
        topology.advanceWallClock(d);
        return this;
    }

    StoreAccess stores() {
        return new StoreAccess() {
            @Override
            public <V> ReadOnlyKeyValueStore<String, V> store(String name) {
                return driver.getKeyValueStore(name);
            }
        };
    }

    /** The API as one instance that holds every source. */
    Api api() {
        return new Api(new Api.Owners() {
            @Override
            public OwnerLookup.Owner of(String source) {
                return new OwnerLookup.Local(0);
            }

            @Override
            public java.util.Set<org.apache.kafka.streams.state.HostInfo> others() {
                return java.util.Set.of();
            }
        }, p -> stores(), stores(), new Forwarder(), settings.graph());
    }

    @Override
    public void close() {
        topology.close();
    }
}
