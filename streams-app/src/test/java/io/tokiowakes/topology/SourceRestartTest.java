package io.tokiowakes.topology;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A process restarted under the same source name: seq starts over, span IDs are reused. */
class SourceRestartTest {

    @Test
    void restartedSourceStartsAfreshAndItsOldTasksAreNotReported() {
        TraceScript before = new TraceScript("svc").task(8, "old-parked").task(9, "old-other")
                .on("ThreadId(2)", "w").enter(8).cloneWaker(8, 8L).exit(8);
        // The new process: seq from 0 again, later in time, the same span IDs for other tasks.
        TraceScript after = new TraceScript("svc").advanceMillis(60_000).task(8, "new-receiver")
                .on("ThreadId(7)", "other").wake(8, null);
        try (TopologyHarness h = new TopologyHarness().run(before).run(after)) {
            List<JsonNode> edges = h.edgesTo(8);
            assertEquals(1, edges.size());
            assertEquals("new-receiver", edges.get(0).path("wakee").path("name").asText());
            // ThreadId(7) of the new process never polled a task: EXTERNAL, whatever the old one did.
            assertEquals("EXTERNAL", edges.get(0).path("kind").asText());
            assertEquals(1, h.metrics.get("source-restarts"));
            assertEquals(0, h.metrics.get("late-records"));
            assertEquals(List.of(), h.anomalyTypes(9), "the old process's tasks are forgotten, not reported");
        }
    }

    @Test
    void lateRecordOfTheSameProcessIsNotARestart() {
        TraceScript t = new TraceScript("svc").task(8, "a").on("ThreadId(9)", "x").wake(8, null).wake(8, null);
        List<String> records = new ArrayList<>(t.records());
        // The first wake arrives after the rest had been applied: past the ordering window.
        String firstWake = records.remove(1);
        try (TopologyHarness h = new TopologyHarness()) {
            h.pipe(records).flush().pipe(List.of(firstWake)).flush();
            assertEquals(0, h.metrics.get("source-restarts"));
            assertEquals(1, h.metrics.get("late-records"));
        }
    }
}
