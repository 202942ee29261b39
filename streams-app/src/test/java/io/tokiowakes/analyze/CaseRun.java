package io.tokiowakes.analyze;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokiowakes.topology.JobSettings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One of the small situation traces in {@code src/test/resources/cases/}, run through
 * {@code analyze}'s in-process data path, with its outputs read back as JSON.
 */
final class CaseRun {

    final AnalysisResult result;
    final List<JsonNode> edges;
    final List<JsonNode> anomalies;
    final List<JsonNode> summaries;

    private CaseRun(AnalysisResult result, Path out) throws IOException {
        this.result = result;
        this.edges = ExpectedWakes.readJsonl(out.resolve(TraceFileAnalyzer.WAKE_EDGES_FILE));
        this.anomalies = ExpectedWakes.readJsonl(out.resolve(TraceFileAnalyzer.ANOMALIES_FILE));
        this.summaries = ExpectedWakes.readJsonl(out.resolve(TraceFileAnalyzer.TASK_SUMMARIES_FILE));
    }

    /** Analyses {@code /cases/NAME} (trace record v1 lines) with the default settings. */
    static CaseRun of(String name) {
        return of(name, JobSettings.defaults());
    }

    static CaseRun of(String name, JobSettings settings) {
        try (InputStream in = CaseRun.class.getResourceAsStream("/cases/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource /cases/" + name);
            }
            return of(TraceLines.of(in), settings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CaseRun of(TraceLines lines, JobSettings settings) throws IOException {
        Path out = Files.createTempDirectory("case");
        return new CaseRun(new TraceFileAnalyzer(settings).analyze(lines, out), out);
    }

    /** Anomaly types by task name, sorted, e.g. {@code {boxed-big=[AUTO_BOXED_FUTURE]}}. */
    Map<String, List<String>> anomaliesByTask() {
        Map<String, List<String>> out = new TreeMap<>();
        for (JsonNode a : anomalies) {
            out.computeIfAbsent(a.path("task").path("name").asText(), k -> new java.util.ArrayList<>())
                    .add(a.path("type").asText());
        }
        out.values().forEach(java.util.Collections::sort);
        return out;
    }

    JsonNode summaryOf(String taskName) {
        return summaries.stream().filter(s -> s.path("task").path("name").asText().equals(taskName))
                .findFirst().orElseThrow(() -> new AssertionError("no summary of " + taskName));
    }
}
