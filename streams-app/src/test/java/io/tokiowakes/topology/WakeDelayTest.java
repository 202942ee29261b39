package io.tokiowakes.topology;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokiowakes.emit.WakeDelay;
import io.tokiowakes.emit.WakeEdge;
import io.tokiowakes.model.WakeKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each wake of a live task gets its delay to the start of the task's next poll, in the source's
 * trace time, on {@code tokio.wake-delays}, keyed and numbered like its edge; the wake edge itself
 * goes out at the wake.
 */
class WakeDelayTest {

    private static final long WORKER = 1;
    private static final long TASK = 10;
    private static final long OTHER = 11;

    /** A worker in its own span on ThreadId(2); the task polled once and waiting. */
    private static TraceScript waiting() {
        return new TraceScript("svc").workerSpan(WORKER).on("ThreadId(2)", "tokio-rt-worker").enter(WORKER)
                .task(TASK, "receiver").task(OTHER, "sender")
                .enter(TASK).cloneWaker(TASK, TASK).exit(TASK);
    }

    @Test
    void oneWakeWaitsUntilTheNextPollStarts() {
        TraceScript s = waiting().enter(OTHER).wake(TASK, OTHER);
        long wakeAt = s.now();
        s.exit(OTHER).advanceMicros(300).enter(TASK);
        long pollAt = s.now();
        s.exit(TASK);
        try (TopologyHarness h = new TopologyHarness().run(s)) {
            WakeEdge edge = only(h.wakesOf(TASK));
            WakeDelay delay = only(h.wakeDelaysOf(TASK));
            assertEquals(pollAt - wakeAt, delay.delayNanos());
            assertEquals(wakeAt, delay.wakeTsNanos());
            assertEquals(pollAt, delay.tsNanos());
            assertEquals(edge.seq(), delay.seq(), "joins its edge by seq");
            assertEquals(h.edgeKeys.get(h.edges.indexOf(only(h.edgesTo(TASK)))), h.delayKeys.get(0), "and by key");
            assertEquals(WakeKind.TASK, delay.kind());
            assertEquals("sender", delay.waker().name());
            assertEquals("receiver", delay.wakee().name());
        }
    }

    @Test
    void severalWakesBeforeOnePollEachGetTheirOwnDelay() {
        TraceScript s = waiting().wake(TASK, WORKER);
        long first = s.now();
        s.advanceMicros(100).enter(OTHER).wake(TASK, OTHER).exit(OTHER);
        long second = s.now() - 1_000; // the wake, one record before the exit
        s.advanceMicros(100).on("ThreadId(9)", "feeder").wake(TASK, null);
        long third = s.now();
        s.on("ThreadId(2)", "tokio-rt-worker").advanceMicros(50).enter(TASK);
        long pollAt = s.now();
        s.exit(TASK);
        try (TopologyHarness h = new TopologyHarness().run(s)) {
            List<WakeDelay> delays = h.wakeDelaysOf(TASK);
            assertEquals(List.of(pollAt - first, pollAt - second, pollAt - third),
                    delays.stream().map(WakeDelay::delayNanos).toList());
            assertEquals(List.of("RUNTIME", "TASK", "EXTERNAL"), delays.stream().map(d -> d.kind().name()).toList());
            assertEquals(h.wakesOf(TASK).stream().map(WakeEdge::seq).toList(),
                    delays.stream().map(WakeDelay::seq).toList());
            assertTrue(h.delaysOf(OTHER).isEmpty(), "sender was never woken");
        }
    }

    @Test
    void aWakeDuringTheTasksOwnPollWaitsForTheNextPoll() {
        // yield_now-like: the task wakes itself while it runs; the poll it is in does not count.
        TraceScript s = waiting().advanceMicros(100).enter(TASK);
        long pollStart = s.now();
        s.wakeByRef(TASK, TASK);
        long wakeAt = s.now();
        s.exit(TASK).advanceMicros(200).enter(TASK);
        long nextPoll = s.now();
        s.exit(TASK);
        try (TopologyHarness h = new TopologyHarness().run(s)) {
            WakeDelay delay = only(h.wakeDelaysOf(TASK));
            assertEquals(WakeKind.SELF, delay.kind());
            assertEquals(nextPoll - wakeAt, delay.delayNanos());
            assertTrue(delay.tsNanos() > pollStart);
        }
    }

    @Test
    void aWakeFollowedByTheTasksCloseWithoutAPollHasNone() {
        TraceScript s = waiting().enter(OTHER).wake(TASK, OTHER).exit(OTHER).close(TASK);
        try (TopologyHarness h = new TopologyHarness().run(s)) {
            assertEquals(1, h.edgesTo(TASK).size());
            assertEquals(List.of(), h.delaysOf(TASK));
            assertEquals(0, h.summary(TASK).path("scheduling_delays_by_kind").size());
        }
    }

    /** Tokio >= 1.35 enters a task's span once more to drop its future: that pair is no poll, no wake ends there. */
    @Test
    void theDropPairBeforeCloseEndsNoWait() {
        TraceScript s = waiting().enter(OTHER).wake(TASK, OTHER).exit(OTHER)
                .advanceMicros(40).enter(TASK).exit(TASK) // the last poll: returns Ready
                .advanceMicros(5).enter(TASK).exit(TASK)  // drop
                .close(TASK);
        try (TopologyHarness h = new TopologyHarness().run(s)) {
            assertEquals(1, h.delaysOf(TASK).size());
            JsonNode runtime = h.summary(TASK).path("scheduling_delays_by_kind").path("TASK");
            assertEquals(1, runtime.path("count").asLong());
            assertEquals(2, h.summary(TASK).path("polls").asLong(), "the drop is no poll either");
        }
    }

    @Test
    void theSummaryGivesTheDistributionByKind() {
        TraceScript s = waiting();
        long[] waits = {30, 60, 90, 2000};
        for (long us : waits) {
            s.wake(TASK, WORKER).advanceMicros(us).enter(TASK).exit(TASK);
        }
        s.enter(OTHER).wake(TASK, OTHER).exit(OTHER).advanceMicros(10).enter(TASK).exit(TASK).close(TASK);
        try (TopologyHarness h = new TopologyHarness().run(s)) {
            JsonNode byKind = h.summary(TASK).path("scheduling_delays_by_kind");
            JsonNode runtime = byKind.path("RUNTIME");
            assertEquals(4, runtime.path("count").asLong());
            // Each wait is the advance plus the one record (1 µs) between the wake and the enter.
            assertEquals(2_001_000, runtime.path("max_nanos").asLong());
            long p50 = runtime.path("p50_nanos").asLong();
            assertTrue(p50 >= 61_000 && p50 <= 61_000 * 1.125, "p50 " + p50);
            assertEquals(2_001_000, runtime.path("p99_nanos").asLong(), "capped at the max");
            long inBuckets = 0;
            for (JsonNode b : runtime.path("buckets")) {
                inBuckets += b.path("count").asLong();
                assertTrue(b.path("from_nanos").asLong() < b.path("to_nanos").asLong());
            }
            assertEquals(4, inBuckets);
            assertEquals(1, byKind.path("TASK").path("count").asLong());
            assertEquals(2, byKind.size(), "kinds without a delay are left out: " + byKind);
        }
    }

    /**
     * Property: over random runs of wakes (by a task, the runtime, a foreign thread, the task
     * itself while polled), polls and the close, every wake of the live task is matched by
     * exactly the delay a plain model of the rule gives: to the first poll start after it, and
     * none for wakes after the last poll.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void everyWakeGetsTheDelayToTheNextPollStart(long seed) {
        Random random = new Random(seed);
        TraceScript s = waiting();
        List<Long> pendingSince = new ArrayList<>();
        List<Long> expected = new ArrayList<>();
        for (int step = 0; step < 40; step++) {
            s.advanceMicros(random.nextInt(500));
            switch (random.nextInt(5)) {
                case 0 -> {
                    s.wake(TASK, WORKER);
                    pendingSince.add(s.now());
                }
                case 1 -> {
                    s.enter(OTHER).wake(TASK, OTHER);
                    pendingSince.add(s.now());
                    s.exit(OTHER);
                }
                case 2 -> {
                    s.on("ThreadId(9)", "feeder").wake(TASK, null).on("ThreadId(2)", "tokio-rt-worker");
                    pendingSince.add(s.now());
                }
                default -> {
                    if (pendingSince.isEmpty()) {
                        continue; // polled only after a wake
                    }
                    s.enter(TASK);
                    long start = s.now();
                    pendingSince.forEach(w -> expected.add(start - w));
                    pendingSince.clear();
                    if (random.nextBoolean()) {
                        s.wakeByRef(TASK, TASK);
                        pendingSince.add(s.now());
                    }
                    s.exit(TASK);
                }
            }
        }
        s.close(TASK);
        try (TopologyHarness h = new TopologyHarness().run(s)) {
            assertEquals(expected, h.wakeDelaysOf(TASK).stream().map(WakeDelay::delayNanos).toList());
            long counted = 0;
            for (JsonNode k : h.summary(TASK).path("scheduling_delays_by_kind")) {
                counted += k.path("count").asLong();
            }
            assertEquals(expected.size(), counted);
            assertEquals(expected.size() + pendingSince.size(), h.edgesTo(TASK).size());
        }
    }

    private static <T> T only(List<T> nodes) {
        assertEquals(1, nodes.size(), nodes.toString());
        return nodes.get(0);
    }
}
