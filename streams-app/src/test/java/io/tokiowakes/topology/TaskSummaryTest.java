package io.tokiowakes.topology;

import io.tokiowakes.emit.TaskSummary;
import io.tokiowakes.model.WakeKind;
import org.junit.jupiter.api.Test;

import java.util.List;

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
            TaskSummary s = h.summaryOf(8);
            assertEquals(3, s.polls());
            assertEquals(2, s.wakes());
            assertEquals(1L, s.wakesByKind().get(WakeKind.SELF));
            assertEquals(1L, s.wakesByKind().get(WakeKind.TASK));
            assertEquals(0L, s.wakesByKind().get(WakeKind.EXTERNAL));
            assertEquals(1, s.wakerClones());
            assertEquals(1, s.wakesByValue());
            assertEquals(1, s.wakesByRef());
            assertTrue(s.busyNanos() >= 3_000_000, s.toString());
            assertTrue(s.maxPollNanos() >= 3_000_000);
            assertTrue(s.scheduledNanos() >= 2_000_000, "woken, then waited 2 ms to be polled");
            assertEquals("receiver", s.task().name());
            assertEquals("src/main.rs:10:5", s.task().loc());
            assertEquals(List.of(), s.anomalies());
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
