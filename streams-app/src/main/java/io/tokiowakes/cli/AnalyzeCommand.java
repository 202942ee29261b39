package io.tokiowakes.cli;

import io.tokiowakes.analyze.AnalysisResult;
import io.tokiowakes.analyze.TraceFileAnalyzer;
import io.tokiowakes.analyze.TraceLines;
import io.tokiowakes.model.TaskRef;
import io.tokiowakes.observe.Progress;
import io.tokiowakes.graph.TaskLabel;
import io.tokiowakes.topology.JobSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Run the job's topology over a captured trace file and write its outputs to a folder.")
public final class AnalyzeCommand implements Callable<Integer> {

    /** Anomalous tasks named in the summary; the rest are counted (all are in anomalies.jsonl). */
    static final int TASKS_SHOWN = 20;

    @Mixin
    TraceInputOptions input;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "gets wake-edges.jsonl, wake-delays.jsonl, anomalies.jsonl, task-summaries.jsonl, rejected.jsonl")
    Path out;

    @Option(names = "--config", paramLabel = "FILE", description = "job settings (properties)")
    Path config;

    @Override
    public Integer call() throws IOException {
        JobSettings settings;
        try {
            settings = JobSettings.from(ConfigFiles.load(config));
        } catch (IllegalArgumentException e) {
            throw new UserError(config + ": " + e.getMessage());
        }
        OutputFolder.prepare(out);
        AnalysisResult result;
        long t0 = System.nanoTime();
        TraceLines lines = input.lines();
        try (Progress progress = Progress.onTerminal("analyze", Files.size(input.input))) {
            result = new TraceFileAnalyzer(settings).analyze(sink -> lines.forEach((n, value) -> {
                progress.record(value.length + 1);
                sink.accept(n, value);
            }), out);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new UserError("cannot write " + e.getFile() + ": permission denied");
        }
        if (result.records() == result.rejected()) {
            AnalysisResult.Rejection first = result.firstRejection();
            throw new UserError(input.input + ": no valid trace record"
                    + (first == null ? " (no record at all)"
                    : " in " + result.rejected() + " line(s); line " + first.line() + ": " + first.reason()));
        }
        printSummary(result, (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    private void printSummary(AnalysisResult r, double seconds) {
        System.out.printf("%d records -> %s (%.1f s, %,.0f records/s)%n", r.records(), out, seconds, r.records() / seconds);
        System.out.println("wake edges: " + byPrefix(r.counters(), "edges."));
        System.out.println("anomalies:  " + byPrefix(r.counters(), "anomalies."));
        System.out.println("tasks closed: " + r.count("task-summaries"));
        System.out.println("wake delays: " + r.count("wake-delays") + " (a wake's wait for its task's next poll)");
        if (!r.anomalousTasks().isEmpty()) {
            System.out.println("anomalous tasks (" + r.anomalousTasks().size() + "):");
            boolean sources = r.anomalousTasks().stream().map(AnalysisResult.AnomalousTask::source).distinct().count() > 1;
            for (AnalysisResult.AnomalousTask t : r.anomalousTasks().subList(0, Math.min(TASKS_SHOWN, r.anomalousTasks().size()))) {
                System.out.println("  " + (sources ? t.source() + " " : "") + describe(t.task()) + ": "
                        + t.types().stream().map(Enum::name).collect(Collectors.joining(", ")));
            }
            if (r.anomalousTasks().size() > TASKS_SHOWN) {
                System.out.println("  ... and " + (r.anomalousTasks().size() - TASKS_SHOWN) + " more in "
                        + out.resolve(TraceFileAnalyzer.ANOMALIES_FILE));
            }
        }
        if (!r.busiestPairs().isEmpty()) {
            System.out.println("busiest wake pairs (waker -> woken, by task name; what the woken task waited on; "
                    + "wake to poll p50 / p99 / max):");
            boolean sources = r.busiestPairs().stream().map(AnalysisResult.WakePair::source).distinct().count() > 1;
            for (AnalysisResult.WakePair p : r.busiestPairs()) {
                String via = p.waitsOn().isEmpty() ? "" : " [" + p.waitsOn().get(0).resource() + "]"
                        + (p.waitsOn().size() > 1 ? " +" + (p.waitsOn().size() - 1) : "");
                String delays = p.delays() == null ? "" : "  " + human(p.delays().p50Nanos()) + " / "
                        + human(p.delays().p99Nanos()) + " / " + human(p.delays().maxNanos());
                System.out.printf("  %6d  %s%s -> %s (%s)%s%s%n", p.count(), sources ? p.source() + " " : "", p.waker(),
                        p.wakee(), p.kind(), via, delays);
            }
        }
        if (r.rejected() > 0) {
            System.out.println("rejected:   " + r.rejected() + " line(s), see " + out.resolve(TraceFileAnalyzer.REJECTED_FILE));
        }
        if (r.count("late-records") > 0) {
            System.out.println("late:       " + r.count("late-records") + " record(s) arrived past the ordering window");
        }
    }

    /**
     * A task as people find it: its name, Tokio's task ID (what tokio-console shows) and the span
     * ID (what the outputs join on), e.g. {@code receiver (task 4, span 8)}.
     */
    static String describe(TaskRef t) {
        return TaskLabel.of(t) + " (" + (t.taskId() != null ? "task " + t.taskId() + ", " : "")
                + "span " + Long.toUnsignedString(t.spanId()) + ")";
    }

    /** A duration of trace time as people read it: 850 ns, 4.1 µs, 2.3 ms, 1.25 s. */
    static String human(long nanos) {
        if (nanos < 1_000) {
            return nanos + " ns";
        }
        if (nanos < 1_000_000) {
            return String.format(java.util.Locale.ROOT, "%.1f µs", nanos / 1e3);
        }
        if (nanos < 1_000_000_000) {
            return String.format(java.util.Locale.ROOT, "%.1f ms", nanos / 1e6);
        }
        return String.format(java.util.Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    static String byPrefix(Map<String, Long> counters, String prefix) {
        StringBuilder sb = new StringBuilder();
        long total = 0;
        for (Map.Entry<String, Long> e : counters.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                sb.append(sb.length() == 0 ? "" : ", ").append(e.getKey().substring(prefix.length())).append(' ').append(e.getValue());
                total += e.getValue();
            }
        }
        return total == 0 ? "none" : total + " (" + sb + ")";
    }
}
