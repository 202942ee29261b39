package io.tokiowakes.analyze;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokiowakes.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An {@code *.expected.json} of the fixtures, compared the way {@code compare_wakes.py} does:
 * edges as a multiset of (source, op, kind, wakee, waker-for-SELF/TASK/BLOCKING), anomalies as
 * a set of (source, type, task span).
 */
public final class ExpectedWakes {

    /**
     * The real traces with expected results: Tokio 1.24 (task spans under their spawner, resource
     * spans under their creator) and Tokio 1.53 (task and resource spans as roots, size.bytes on
     * every task, an enter/exit pair to drop every future, workers named tokio-rt-worker).
     */
    public static final List<String> FIXTURES = List.of("seed-program", "mixed-w2",
            "tokio-1.53/seed-w2", "tokio-1.53/mixed-w1");

    private final Map<String, Integer> edges;
    private final Set<String> anomalies;

    private ExpectedWakes(Map<String, Integer> edges, Set<String> anomalies) {
        this.edges = edges;
        this.anomalies = anomalies;
    }

    /** For {@code @MethodSource}. */
    public static List<String> fixtureNames() {
        return FIXTURES;
    }

    /** What the fixtures give together (their sources differ). */
    public static ExpectedWakes fixtures(String... names) throws IOException {
        return renamedFixtures("", names);
    }

    /**
     * What the fixtures give when every source name is followed by {@code suffix} (copies of one
     * fixture side by side, as by {@link PerThreadBuffers#renameSources}).
     */
    public static ExpectedWakes renamedFixtures(String suffix, String... names) throws IOException {
        List<JsonNode> e = new ArrayList<>();
        List<JsonNode> a = new ArrayList<>();
        for (String name : names) {
            try (InputStream in = ExpectedWakes.class.getResourceAsStream("/fixtures/" + name + ".expected.json")) {
                JsonNode root = Json.MAPPER.readTree(in);
                root.path("edges").forEach(n -> e.add(PerThreadBuffers.renameSource(n, suffix)));
                root.path("anomalies").forEach(n -> a.add(PerThreadBuffers.renameSource(n, suffix)));
            }
        }
        return of(e, a);
    }

    public static ExpectedWakes fromOutputs(Path dir) throws IOException {
        return of(readJsonl(dir.resolve(TraceFileAnalyzer.WAKE_EDGES_FILE)),
                readJsonl(dir.resolve(TraceFileAnalyzer.ANOMALIES_FILE)));
    }

    public static ExpectedWakes of(List<JsonNode> edgeValues, List<JsonNode> anomalyValues) {
        Map<String, Integer> e = new HashMap<>();
        for (JsonNode n : edgeValues) {
            e.merge(edgeKey(n), 1, Integer::sum);
        }
        Set<String> a = new TreeSet<>();
        for (JsonNode n : anomalyValues) {
            a.add(n.path("source").asText() + "|" + n.path("type").asText() + "|" + n.path("task").path("span_id").asText());
        }
        return new ExpectedWakes(e, a);
    }

    static List<JsonNode> readJsonl(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                out.add(Json.MAPPER.readTree(line));
            }
        }
        return out;
    }

    private static String edgeKey(JsonNode e) {
        String kind = e.path("kind").asText();
        String waker = Set.of("SELF", "TASK", "BLOCKING").contains(kind) ? e.path("waker").path("span_id").asText() : "-";
        return String.join("|", e.path("source").asText(), e.path("op").asText(), kind,
                e.path("wakee").path("span_id").asText(), waker);
    }

    /** Nothing expected. */
    public static ExpectedWakes none() {
        return of(List.of(), List.of());
    }

    /** Both expectations together (for disjoint sources). */
    public ExpectedWakes plus(ExpectedWakes other) {
        Map<String, Integer> e = new HashMap<>(edges);
        other.edges.forEach((k, v) -> e.merge(k, v, Integer::sum));
        Set<String> a = new TreeSet<>(anomalies);
        a.addAll(other.anomalies);
        return new ExpectedWakes(e, a);
    }

    public int edgeCount() {
        return edges.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** @return the differences, one line each; empty when both match */
    public List<String> differences(ExpectedWakes found) {
        List<String> diff = new ArrayList<>();
        Set<String> keys = new TreeSet<>(edges.keySet());
        keys.addAll(found.edges.keySet());
        for (String k : keys) {
            int exp = edges.getOrDefault(k, 0);
            int got = found.edges.getOrDefault(k, 0);
            if (exp != got) {
                diff.add("edge " + k + ": expected " + exp + ", found " + got);
            }
        }
        for (String a : anomalies) {
            if (!found.anomalies.contains(a)) {
                diff.add("missing anomaly " + a);
            }
        }
        for (String a : found.anomalies) {
            if (!anomalies.contains(a)) {
                diff.add("unexpected anomaly " + a);
            }
        }
        return diff;
    }
}
