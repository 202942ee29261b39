package io.tokiowakes.cli;

import io.tokiowakes.analyze.AnalysisResult;
import io.tokiowakes.analyze.TraceFileAnalyzer;
import io.tokiowakes.analyze.TraceLines;
import io.tokiowakes.observe.Progress;
import io.tokiowakes.topology.JobSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Run the job's topology over a captured trace file and write its outputs to a folder.")
public final class AnalyzeCommand implements Callable<Integer> {

    @Mixin
    TraceInputOptions input;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "gets wake-edges.jsonl, anomalies.jsonl, task-summaries.jsonl, rejected.jsonl")
    Path out;

    @Option(names = "--config", paramLabel = "FILE", description = "job settings (properties)")
    Path config;

    @Override
    public Integer call() throws IOException {
        JobSettings settings;
        try {
            settings = JobSettings.from(ConfigFiles.load(config));
        } catch (IllegalArgumentException e) {
            throw new UserError("bad job setting in " + config + ": " + e.getMessage());
        }
        AnalysisResult result;
        long t0 = System.nanoTime();
        TraceLines lines = input.lines();
        try (Progress progress = Progress.onTerminal("analyze", Files.size(input.input))) {
            result = new TraceFileAnalyzer(settings).analyze(sink -> lines.forEach((n, value) -> {
                progress.record(value.length + 1);
                sink.accept(n, value);
            }), out);
        }
        printSummary(result, (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    private void printSummary(AnalysisResult r, double seconds) {
        System.out.printf("%d records -> %s (%.1f s, %,.0f records/s)%n", r.records(), out, seconds, r.records() / seconds);
        System.out.println("wake edges: " + byPrefix(r.counters(), "edges."));
        System.out.println("anomalies:  " + byPrefix(r.counters(), "anomalies."));
        System.out.println("tasks closed: " + r.count("task-summaries"));
        if (r.rejected() > 0) {
            System.out.println("rejected:   " + r.rejected() + " line(s), see " + out.resolve(TraceFileAnalyzer.REJECTED_FILE));
        }
        if (r.count("late-records") > 0) {
            System.out.println("late:       " + r.count("late-records") + " record(s) arrived past the ordering window");
        }
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
