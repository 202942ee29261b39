package io.tokiowakes.topology;

import io.tokiowakes.engine.JobMetrics;
import io.tokiowakes.bench.LoadGenerator;
import io.tokiowakes.emit.Anomaly;
import io.tokiowakes.emit.Output;
import io.tokiowakes.emit.TaskSummary;
import io.tokiowakes.emit.WakeDelay;
import io.tokiowakes.emit.WakeEdge;
import io.tokiowakes.kafka.KafkaTestSupport;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code analyze} runs files through {@link InProcessRun}, the job through Kafka Streams: both
 * must give the same outputs and refuse the same records for the same reasons.
 */
class InProcessRunTest {

    @Test
    void givesWhatTheTopologyGivesOnRealAndGeneratedTracesWithBadLines() throws IOException {
        List<String> lines = new ArrayList<>();
        lines.addAll(fixture("seed-program"));
        lines.add("{\"v\":1,\"not\":\"a trace record\"}");
        lines.addAll(fixture("mixed-w2"));
        lines.add("not json at all");
        lines.addAll(fixture("tokio-1.53/seed-w2"));
        lines.addAll(fixture("tokio-1.53/mixed-w1"));
        new LoadGenerator(3, 40, 11).generate(20_000, lines::add);

        Outputs inProcess = new Outputs();
        JobMetrics metrics = new JobMetrics();
        InProcessRun run = new InProcessRun(JobSettings.defaults(), metrics, inProcess);
        lines.forEach(l -> run.accept(l.getBytes(StandardCharsets.UTF_8)));
        run.finish();

        try (TopologyHarness h = new TopologyHarness()) {
            h.run(lines);
            assertTrue(h.edges.size() > 500, "a trace with many wakes: " + h.edges.size());
            assertEquals(sorted(h.edges.stream().map(Object::toString)), sorted(inProcess.edges.stream()));
            assertTrue(h.delays.size() > 500, "and as many delays: " + h.delays.size());
            assertEquals(sorted(h.delays.stream().map(Object::toString)), sorted(inProcess.delays.stream()));
            assertEquals(sorted(h.anomalies.stream().map(Object::toString)), sorted(inProcess.anomalies.stream()));
            assertEquals(sorted(h.summaries.stream().map(Object::toString)), sorted(inProcess.summaries.stream()));
            assertEquals(h.deadLetters.stream().map(r -> new String(r.headers().lastHeader(
                    IngestProcessor.HEADER_REASON).value(), StandardCharsets.UTF_8)).toList(), inProcess.reasons);
            assertEquals(2, inProcess.reasons.size());
            assertEquals(h.metrics.snapshot(), metrics.snapshot());
        }
    }

    private static List<String> sorted(Stream<String> s) {
        return s.sorted().toList();
    }

    private static List<String> fixture(String name) {
        return KafkaTestSupport.fixture(name).stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    /** Outputs as the job writes them (JSON), normalised through the same parser as the harness. */
    private static final class Outputs implements InProcessRun.Sink {
        private final Serializer<Output> json = WireFormats.outputSerde(JobSettings.defaults()).serializer();
        final List<String> edges = new ArrayList<>();
        final List<String> delays = new ArrayList<>();
        final List<String> anomalies = new ArrayList<>();
        final List<String> summaries = new ArrayList<>();
        final List<String> reasons = new ArrayList<>();

        @Override
        public void output(Output out) {
            String value;
            try {
                value = io.tokiowakes.json.Json.MAPPER.readTree(json.serialize(null, out)).toString();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            if (out instanceof WakeEdge) {
                edges.add(value);
            } else if (out instanceof WakeDelay) {
                delays.add(value);
            } else if (out instanceof Anomaly) {
                anomalies.add(value);
            } else if (out instanceof TaskSummary) {
                summaries.add(value);
            }
        }

        @Override
        public void rejected(byte[] value, String reason) {
            reasons.add(reason);
        }
    }
}
