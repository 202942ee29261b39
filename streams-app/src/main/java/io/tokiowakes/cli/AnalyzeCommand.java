package io.tokiowakes.cli;

import io.tokiowakes.analyze.AnalysisResult;
import io.tokiowakes.analyze.TraceFileAnalyzer;
import io.tokiowakes.topology.JobSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Run the job's topology over a captured trace file and write its outputs to a folder.")
public final class AnalyzeCommand implements Callable<Integer> {

    @Option(names = "--input", required = true, paramLabel = "TRACE.jsonl", description = "trace record v1, one JSON a line")
    Path input;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "gets wake-edges.jsonl, anomalies.jsonl, task-summaries.jsonl, rejected.jsonl")
    Path out;

    @Option(names = "--config", paramLabel = "FILE", description = "job settings (properties)")
    Path config;

    @Override
    public Integer call() throws IOException {
        JobSettings settings = JobSettings.from(ConfigFiles.load(config));
        AnalysisResult result;
        try (BufferedReader in = open(input)) {
            result = new TraceFileAnalyzer(settings).analyze(in, out);
        }
        printSummary(result);
        return 0;
    }

    static BufferedReader open(Path input) {
        try {
            if (Files.isDirectory(input)) {
                throw new UserError("not a file: " + input);
            }
            return Files.newBufferedReader(input, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UserError("no such file: " + input);
        } catch (AccessDeniedException e) {
            throw new UserError("cannot read " + input + ": permission denied");
        } catch (IOException e) {
            throw new UserError("cannot read " + input + ": " + e.getMessage());
        }
    }

    private void printSummary(AnalysisResult r) {
        System.out.printf("%d records -> %s%n", r.records(), out);
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

    private static String byPrefix(Map<String, Long> counters, String prefix) {
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
