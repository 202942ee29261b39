package io.tokiowakes.topology;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskSummaryTest {

    @Test
    void summaryAtCloseCountsPollsWakesAndWakers() {
        TraceScript t = new TraceScript("svc").task(8, "receiver").task(9, "sender")
                .on("ThreadId(2)", "w")
                .enter(8).wakeByRef(8, 8L).exit(8)                 // poll 1, self-wake
                .enter(8).cloneWaker(8, 8L).exit(8)                // poll 2, parks
                .enter(9).wake(8, 9L).exit(9)                      // sender wakes it
                .on("ThreadId(2)", "w").advanceMillis(2).enter(8).advanceMillis(3).exit(8) // poll 3: 3 ms, Ready
                .enter(8).exit(8).close(8);                        // the drop: not a poll
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            JsonNode s = h.summary(8);
            assertEquals(3, s.path("polls").asLong());
            assertEquals(2, s.path("wakes").asLong());
            assertEquals(1, s.path("wakes_by_kind").path("SELF").asLong());
            assertEquals(1, s.path("wakes_by_kind").path("TASK").asLong());
            assertEquals(0, s.path("wakes_by_kind").path("EXTERNAL").asLong());
            assertEquals(1, s.path("waker_clones").asLong());
            assertEquals(1, s.path("wakes_by_value").asLong());
            assertEquals(1, s.path("wakes_by_ref").asLong());
            assertTrue(s.path("busy_nanos").asLong() >= 3_000_000, s.toString());
            assertTrue(s.path("max_poll_nanos").asLong() >= 3_000_000);
            assertTrue(s.path("scheduled_nanos").asLong() >= 2_000_000, "woken, then waited 2 ms to be polled");
            assertEquals("receiver", s.path("task").path("name").asText());
            assertEquals("src/main.rs:10:5", s.path("task").path("loc").asText());
            assertEquals(0, s.path("anomalies").size());
        }
    }

    @Test
    void taskStillOpenHasNoSummary() {
        TraceScript t = new TraceScript("svc").task(8, "forever").on("ThreadId(2)", "w").poll(8);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals(0, h.summaries.size());
        }
    }
}
