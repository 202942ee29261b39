package io.tokiowakes.analyze;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokiowakes.model.WakeKind;
import io.tokiowakes.emit.Anomaly;
import io.tokiowakes.emit.Output;
import io.tokiowakes.emit.TaskSummary;
import io.tokiowakes.emit.WakeDelay;
import io.tokiowakes.emit.WakeEdge;
import io.tokiowakes.json.Json;
import io.tokiowakes.graph.GraphCell;
import io.tokiowakes.graph.TaskLabel;
import io.tokiowakes.topology.InProcessRun;
import io.tokiowakes.engine.JobMetrics;
import io.tokiowakes.topology.JobSettings;
import io.tokiowakes.topology.WireFormats;
import org.apache.kafka.common.serialization.Serializer;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a captured trace (JSON lines) through the job's own data path in-process and writes each
 * output topic to a file, one value a line: {@code wake-edges.jsonl}, {@code wake-delays.jsonl},
 * {@code anomalies.jsonl}, {@code task-summaries.jsonl}; refused lines go to {@code rejected.jsonl}
 * with their line number.
 */
public final class TraceFileAnalyzer {

    public static final String WAKE_EDGES_FILE = "wake-edges.jsonl";
    public static final String WAKE_DELAYS_FILE = "wake-delays.jsonl";
    public static final String ANOMALIES_FILE = "anomalies.jsonl";
    public static final String TASK_SUMMARIES_FILE = "task-summaries.jsonl";
    public static final String REJECTED_FILE = "rejected.jsonl";

    private final JobSettings settings;

    public TraceFileAnalyzer(JobSettings settings) {
        this.settings = settings;
    }

    /**
     * @param trace  the input records with their line numbers
     * @param outDir created if missing; its five files are written anew
     * @return counts, the first refused line, the anomalous tasks and the busiest wake pairs
     * @throws IOException when the input cannot be read or the files cannot be written
     */
    public AnalysisResult analyze(TraceLines trace, Path outDir) throws IOException {
        Files.createDirectories(outDir);
        JobMetrics metrics = new JobMetrics();
        try (Outputs outputs = new Outputs(outDir, WireFormats.outputSerde(settings).serializer())) {
            InProcessRun run = new InProcessRun(settings, metrics, outputs);
            long[] records = {0};
            trace.forEach((lineNo, value) -> {
                outputs.line = lineNo;
                run.accept(value);
                records[0]++;
            });
            run.finish();
            List<AnalysisResult.WakePair> pairs = new ArrayList<>();
            outputs.pairs.forEach((k, c) -> pairs.add(new AnalysisResult.WakePair(k.source(), k.waker(), k.wakee(), k.kind(),
                    c.wakes, c.delayStats(), c.resources())));
            pairs.sort(Comparator.comparingLong(AnalysisResult.WakePair::count).reversed()
                    .thenComparing(AnalysisResult.WakePair::source).thenComparing(AnalysisResult.WakePair::waker)
                    .thenComparing(AnalysisResult.WakePair::wakee).thenComparing(AnalysisResult.WakePair::kind));
            return new AnalysisResult(records[0], metrics.snapshot(), outputs.rejected, outputs.firstRejection,
                    List.copyOf(outputs.anomalous.values()),
                    List.copyOf(pairs.subList(0, Math.min(AnalysisResult.BUSIEST_PAIRS, pairs.size()))));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** One file per output topic, written as the job writes the topic's values. */
    private static final class Outputs implements InProcessRun.Sink, AutoCloseable {
        private final Serializer<Output> serializer;
        private final OutputStream edges;
        private final OutputStream delays;
        private final OutputStream anomalies;
        private final OutputStream summaries;
        private final OutputStream rejectedFile;
        long line;
        long rejected;
        AnalysisResult.Rejection firstRejection;
        /** By source and span ID; a span ID reused after its task closed is another task. */
        final Map<String, AnalysisResult.AnomalousTask> anomalous = new LinkedHashMap<>();
        /** Wakes, delays and resources waited on per pair, counted as the wake graph counts them. */
        final Map<PairKey, GraphCell> pairs = new HashMap<>();

        private record PairKey(String source, String waker, String wakee, WakeKind kind) {
        }

        Outputs(Path dir, Serializer<Output> serializer) throws IOException {
            this.serializer = serializer;
            edges = open(dir.resolve(WAKE_EDGES_FILE));
            delays = open(dir.resolve(WAKE_DELAYS_FILE));
            anomalies = open(dir.resolve(ANOMALIES_FILE));
            summaries = open(dir.resolve(TASK_SUMMARIES_FILE));
            rejectedFile = open(dir.resolve(REJECTED_FILE));
        }

        private static OutputStream open(Path file) throws IOException {
            return new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        }

        @Override
        public void output(Output out) {
            OutputStream file = out instanceof WakeEdge ? edges
                    : out instanceof WakeDelay ? delays
                    : out instanceof Anomaly ? anomalies
                    : out instanceof TaskSummary ? summaries : null;
            if (file == null) {
                throw new IllegalStateException("no output file for " + out.getClass().getSimpleName());
            }
            if (out instanceof WakeEdge e) {
                pairs.computeIfAbsent(new PairKey(e.source(), TaskLabel.waker(e.waker(), e.kind()), TaskLabel.of(e.wakee()),
                        e.kind()), k -> new GraphCell()).woke(e.waitsOn());
            } else if (out instanceof WakeDelay d) {
                GraphCell c = pairs.get(new PairKey(d.source(), TaskLabel.waker(d.waker(), d.kind()), TaskLabel.of(d.wakee()),
                        d.kind()));
                if (c != null) {
                    c.delayed(d.delayNanos());
                }
            } else if (out instanceof Anomaly a) {
                String key = a.source() + '\u0000' + Long.toUnsignedString(a.task().spanId()) + '\u0000' + a.task().taskId();
                AnalysisResult.AnomalousTask t = anomalous.computeIfAbsent(key,
                        k -> new AnalysisResult.AnomalousTask(a.source(), a.task(), new ArrayList<>()));
                t.types().add(a.type());
            }
            write(file, serializer.serialize(null, out));
        }

        @Override
        public void rejected(byte[] value, String reason) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("line", line);
            o.put("reason", reason);
            o.put("value", new String(value, StandardCharsets.UTF_8));
            try {
                write(rejectedFile, Json.MAPPER.writeValueAsBytes(o));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (firstRejection == null) {
                firstRejection = new AnalysisResult.Rejection(line, reason);
            }
            rejected++;
        }

        private static void write(OutputStream file, byte[] value) {
            try {
                file.write(value);
                file.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            edges.close();
            delays.close();
            anomalies.close();
            summaries.close();
            rejectedFile.close();
        }
    }
}
