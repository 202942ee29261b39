package io.tokiowakes.analyze;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokiowakes.emit.Anomaly;
import io.tokiowakes.emit.Output;
import io.tokiowakes.emit.TaskSummary;
import io.tokiowakes.emit.WakeEdge;
import io.tokiowakes.json.Json;
import io.tokiowakes.topology.InProcessRun;
import io.tokiowakes.topology.JobMetrics;
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

/**
 * Runs a captured trace (JSON lines) through the job's own data path in-process and writes each
 * output topic to a file, one value a line: {@code wake-edges.jsonl}, {@code anomalies.jsonl},
 * {@code task-summaries.jsonl}; refused lines go to {@code rejected.jsonl} with their line number.
 */
public final class TraceFileAnalyzer {

    public static final String WAKE_EDGES_FILE = "wake-edges.jsonl";
    public static final String ANOMALIES_FILE = "anomalies.jsonl";
    public static final String TASK_SUMMARIES_FILE = "task-summaries.jsonl";
    public static final String REJECTED_FILE = "rejected.jsonl";

    private final JobSettings settings;

    public TraceFileAnalyzer(JobSettings settings) {
        this.settings = settings;
    }

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
            return new AnalysisResult(records[0], metrics.snapshot(), outputs.rejected);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** One file per output topic, written as the job writes the topic's values. */
    private static final class Outputs implements InProcessRun.Sink, AutoCloseable {
        private final Serializer<Output> serializer;
        private final OutputStream edges;
        private final OutputStream anomalies;
        private final OutputStream summaries;
        private final OutputStream rejectedFile;
        long line;
        long rejected;

        Outputs(Path dir, Serializer<Output> serializer) throws IOException {
            this.serializer = serializer;
            edges = open(dir.resolve(WAKE_EDGES_FILE));
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
                    : out instanceof Anomaly ? anomalies
                    : out instanceof TaskSummary ? summaries : null;
            if (file == null) {
                throw new IllegalStateException("no output file for " + out.getClass().getSimpleName());
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
            anomalies.close();
            summaries.close();
            rejectedFile.close();
        }
    }
}
