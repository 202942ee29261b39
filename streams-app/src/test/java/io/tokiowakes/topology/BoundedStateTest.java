package io.tokiowakes.topology;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * State follows the live tasks, not all tasks ever seen: task state ends with the task's span,
 * thread state is one entry per thread, the ordering buffer holds only the ordering window.
 */
class BoundedStateTest {

    private static final int TASKS = 20_000;
    private static final int LIVE = 50;

    @Test
    void storesHoldAboutTheLiveTasksAfterManyHaveComeAndGone() {
        TraceScript t = new TraceScript("svc").on("ThreadId(2)", "tokio-runtime-worker");
        for (int i = 0; i < TASKS; i++) {
            // Span IDs are reused after close, as the subscriber's registry does.
            long span = 1 + i % (LIVE + 10);
            t.task(span, "t" + i % 7).enter(span).cloneWaker(span, span).exit(span);
            if (i >= LIVE) {
                long old = 1 + (i - LIVE) % (LIVE + 10);
                t.wake(old, span).enter(old).exit(old).close(old);
            }
            t.advanceMillis(1);
        }
        try (TopologyHarness h = new TopologyHarness()) {
            int half = t.records().size() / 2;
            h.pipe(t.records().subList(0, half));
            // Mid-stream the buffer holds the ordering window (200 ms here: ~200 tasks' records), not the past.
            long midBuffer = h.heldRecords();
            assertTrue(midBuffer < 2_000, "ordering buffer mid-stream: " + midBuffer);
            h.pipe(t.records().subList(half, t.records().size())).flush();
            assertEquals(TASKS - LIVE, h.summaries.size(), "every closed task was summarised");
            long liveTasks = h.storeEntries(StoreNames.LIVE_TASKS);
            long index = h.storeEntries(IngestProcessor.STORE);
            long threads = h.storeEntries(StoreNames.THREADS);
            long buffered = h.heldRecords();
            assertEquals(0, h.storeEntries(StoreNames.ORDERING_BUFFER), "no batch is kept once all its records are applied");
            assertEquals(0, h.storeEntries(IngestProcessor.OUTBOX_STORE), "every batch was sent");
            System.out.printf("after %,d tasks (%d live): live-tasks %d, task-span-index %d, threads %d, "
                    + "ordering-buffer %d (mid-stream %d), sources %d%n", TASKS, LIVE, liveTasks, index, threads,
                    buffered, midBuffer, h.storeEntries(StoreNames.SOURCES));
            assertEquals(LIVE, liveTasks);
            assertEquals(LIVE, index);
            assertEquals(1, threads);
            assertEquals(0, buffered, "nothing is held once everything was read");
            assertTrue(h.storeEntries(StoreNames.UNKNOWN_WAKES) == 0);
        }
    }
}
