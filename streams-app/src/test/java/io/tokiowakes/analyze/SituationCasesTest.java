package io.tokiowakes.analyze;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokiowakes.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The small traces of real-world situations (tokio-console and Tokio reports) in
 * {@code cases/}, each with the result that is right for it.
 */
class SituationCasesTest {

    @Test
    void futureSizeLintsReadWhatSitsInTheTask() {
        CaseRun run = CaseRun.of("future-size-lints.jsonl");
        assertEquals(Map.of(
                "boxed-big", List.of("AUTO_BOXED_FUTURE"),
                "inline-big", List.of("LARGE_FUTURE"),
                "local-edge", List.of("LARGE_FUTURE")), run.anomaliesByTask());
        assertEquals(0, run.result.rejected());
    }

    @Test
    void parentHeldOpenByItsChildIsNoLostWaker() {
        CaseRun run = CaseRun.of("parent-held-open-by-child.jsonl");
        assertEquals(List.of(), run.anomalies);
        assertEquals(2, run.summaryOf("conn-handler").path("polls").asLong());
        assertEquals(2, run.summaryOf("idle-child").path("polls").asLong());
        // Its span stayed open about 65 ms after it returned Ready.
        long heldOpen = run.summaryOf("conn-handler").path("lifetime_nanos").asLong();
        assertTrue(heldOpen > 60_000_000L, "lifetime " + heldOpen);
    }

    @Test
    void blockInPlaceWorkerThreadWakesAreRuntime() {
        CaseRun run = CaseRun.of("block-in-place-worker.jsonl");
        List<com.fasterxml.jackson.databind.JsonNode> toTimerUser = run.edges.stream()
                .filter(e -> e.path("wakee").path("name").asText().equals("timer-user")).toList();
        assertEquals(2, toTimerUser.size());
        for (var e : toTimerUser) {
            assertEquals("RUNTIME", e.path("kind").asText(), e.toString());
            assertEquals("ThreadId(4)", e.path("thread").path("id").asText());
            // Where it fired: the blocking span that runs the handed-over worker loop.
            assertEquals(12, e.path("waker").path("span_id").asLong());
        }
        assertEquals(0, run.edges.stream().filter(e -> e.path("kind").asText().equals("BLOCKING")).count());
        assertEquals(List.of(), run.anomalies);
    }

    /** The released ari-subscriber output, plain and coloured, through the command as a user runs it. */
    @ParameterizedTest
    @CsvSource({"ari-0.0.1-plain.log, auto", "ari-0.0.1-color.log, auto", "ari-0.0.1-plain.log, ari",
            "ari-0.0.1-color.log, ari"})
    void releasedAriOutputIsAnalysed(String file, String format, @TempDir Path dir) throws Exception {
        Path input = dir.resolve(file);
        try (InputStream in = getClass().getResourceAsStream("/cases/" + file)) {
            Files.copy(in, input);
        }
        Path out = dir.resolve("out");
        assertEquals(0, Main.execute("analyze", "--input", input.toString(), "--out", out.toString(),
                "--format", format, "--source", "demo"));
        List<JsonNode> edges = ExpectedWakes.readJsonl(out.resolve(TraceFileAnalyzer.WAKE_EDGES_FILE));
        assertEquals(1, edges.size());
        assertEquals("EXTERNAL", edges.get(0).path("kind").asText());
        assertEquals("waker.wake", edges.get(0).path("op").asText());
        assertEquals(1, edges.get(0).path("wakee").path("span_id").asLong());
        assertEquals(List.of(), ExpectedWakes.readJsonl(out.resolve(TraceFileAnalyzer.REJECTED_FILE)));
        List<JsonNode> anomalies = ExpectedWakes.readJsonl(out.resolve(TraceFileAnalyzer.ANOMALIES_FILE));
        assertEquals(1, anomalies.size());
        assertEquals("EXTERNAL_ONLY_WAKES", anomalies.get(0).path("type").asText());
        assertTrue(anomalies.get(0).path("detail").asText().contains("cannot be told from a wake by a thread outside"),
                anomalies.get(0).toString());
        JsonNode summary = ExpectedWakes.readJsonl(out.resolve(TraceFileAnalyzer.TASK_SUMMARIES_FILE)).get(0);
        assertEquals(1, summary.path("waker_clones").asLong());
        assertEquals(2, summary.path("polls").asLong());
    }
}
