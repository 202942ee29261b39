package io.tokiowakes.topology;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * State follows the live tasks, not all tasks ever seen: task and resource state ends with the
 * span, thread state is one entry per thread, the ordering buffer holds only the ordering window.
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
            // Each task waits in a Sleep of its own (resource, async op and poll spans).
            t.task(span, "t" + i % 7).enter(span)
                    .resource(span + 1000, null, "timer", "Sleep", 12).asyncOp(span + 2000, span + 1000, span + 3000, "Sleep::new_timeout")
                    .cloneWaker(span, span + 3000).exit(span);
            if (i >= LIVE) {
                long old = 1 + (i - LIVE) % (LIVE + 10);
                t.wake(old, span).enter(old).close(old + 3000).close(old + 2000).close(old + 1000).exit(old).close(old);
            }
            t.advanceMillis(1);
        }
        try (TopologyHarness h = new TopologyHarness()) {
            int half = t.records().size() / 2;
            h.pipe(t.records().subList(0, half));
            // Mid-stream the buffer holds the ordering window (200 ms here: ~200 tasks, each with 14
            // records that pass the filter, its resource spans' news and closes among them), not the past.
            long midBuffer = h.heldRecords();
            assertTrue(midBuffer < 200 * 14 * 5 / 4, "ordering buffer mid-stream: " + midBuffer);
            h.pipe(t.records().subList(half, t.records().size())).flush();
            assertEquals(TASKS - LIVE, h.summaries.size(), "every closed task was summarised");
            long liveTasks = h.storeEntries(StoreNames.LIVE_TASKS);
            long index = h.storeEntries(IngestProcessor.STORE);
            long liveResources = h.storeEntries(StoreNames.LIVE_RESOURCES);
            long threads = h.storeEntries(StoreNames.THREADS);
            long buffered = h.heldRecords();
            assertEquals(0, h.storeEntries(StoreNames.ORDERING_BUFFER), "no batch is kept once all its records are applied");
            assertEquals(0, h.storeEntries(IngestProcessor.OUTBOX_STORE), "every batch was sent");
            System.out.printf("after %,d tasks (%d live): live-tasks %d, live-resources %d, task-span-index %d, threads %d, "
                    + "ordering-buffer %d (mid-stream %d), sources %d%n", TASKS, LIVE, liveTasks, liveResources, index,
                    threads, buffered, midBuffer, h.storeEntries(StoreNames.SOURCES));
            assertEquals(LIVE, liveTasks);
            assertEquals(3 * LIVE, liveResources, "the resource spans of the live tasks' Sleeps");
            assertEquals(LIVE + 3 * LIVE, index, "the live task and resource spans");
            assertEquals(1, threads);
            assertEquals(0, buffered, "nothing is held once everything was read");
            assertTrue(h.storeEntries(StoreNames.UNKNOWN_WAKES) == 0);
        }
    }
}
