package io.tokiowakes.analyze;

import org.junit.jupiter.api.Test;

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
}
