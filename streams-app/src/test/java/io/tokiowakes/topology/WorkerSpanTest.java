package io.tokiowakes.topology;

import io.tokiowakes.emit.WakeEdge;
import io.tokiowakes.model.WakeKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A blocking span is a worker thread's own when the trace shows tasks polled inside it (or inside
 * a span of the same closure): wakes there outside any task are RUNTIME, whatever the closure is
 * called. A spawn_blocking closure that never polls tasks stays BLOCKING, whatever it is called.
 */
class WorkerSpanTest {

    private static WakeEdge only(List<WakeEdge> edges) {
        assertEquals(1, edges.size(), "edges: " + edges);
        return edges.get(0);
    }

    /** Tokio 1.24 and 1.53 worker loops, block_in_place's hand-off in old and new Tokio, and names no list could know. */
    @ParameterizedTest
    @ValueSource(strings = {
            "tokio::runtime::scheduler::multi_thread::worker::Launch::launch::{{closure}}",
            "tokio::runtime::scheduler::multi_thread::worker::block_in_place::{{closure}}::{{closure}}",
            "tokio::runtime::scheduler::multi_thread::worker::Context::maybe_move_runtime::{{closure}}",
            "my_executor::pool::run_forever::{{closure}}",
            "app::feed::{{closure}}"})
    void wakeOutsideAnyTaskInsideABlockingSpanThatPollsTasksIsRuntime(String fn) {
        TraceScript t = new TraceScript("svc").blocking(4, fn).task(9, "timer-user")
                .on("ThreadId(4)", "whatever").enter(4).enter(9).cloneWaker(9, 9L).exit(9)
                .advanceMillis(3).wake(9, null).poll(9);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            WakeEdge e = only(h.wakesOf(9));
            assertEquals(WakeKind.RUNTIME, e.kind());
            assertEquals(4, e.waker().spanId());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "app::feed::{{closure}}",
            "tokio::runtime::scheduler::multi_thread::worker::Launch::launch::{{closure}}",
            "tokio::runtime::scheduler::multi_thread::worker::block_in_place::{{closure}}::{{closure}}"})
    void blockingSpanThatNeverPollsATaskIsBlockingWhateverItsName(String fn) {
        TraceScript t = new TraceScript("svc").task(12, "awaits").blocking(30, fn)
                .on("ThreadId(2)", "tokio-runtime-worker").enter(12).cloneWaker(12, 12L).exit(12)
                .on("ThreadId(7)", "tokio-runtime-worker").enter(30).wake(12, 30L).exit(30);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            WakeEdge e = only(h.wakesOf(12));
            assertEquals(WakeKind.BLOCKING, e.kind());
            assertEquals(30, e.waker().spanId());
        }
    }

    @Test
    void aWorkerWhoseFirstActIsATimerWakeIsKnownFromItsSiblings() {
        // Two workers run the same closure; worker 5's first record is a timer wake (as in the
        // Tokio 1.24 fixture mixed-w2), before it has polled anything itself.
        String fn = "rt::worker::run::{{closure}}";
        TraceScript t = new TraceScript("svc").blocking(4, fn).blocking(5, fn).blocking(6, "rt::other::{{closure}}")
                .task(9, "ticker").task(10, "other")
                .on("ThreadId(3)", "w1").enter(4).enter(9).cloneWaker(9, 9L).exit(9)
                .on("ThreadId(6)", "w2").enter(5).advanceMillis(5).wake(9, null)
                .on("ThreadId(8)", "w3").enter(6).enter(10).cloneWaker(10, 10L).exit(10)
                .on("ThreadId(6)", "w2").enter(10).exit(10);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            WakeEdge e = only(h.wakesOf(9));
            assertEquals(WakeKind.RUNTIME, e.kind());
            assertEquals(5, e.waker().spanId());
        }
    }

    @Test
    void blockOnInsideASpawnBlockingClosureDoesNotMakeItAWorker() {
        // spawn_blocking(|| handle.block_on(fut)): the closure polls a block_on future, no spawned task.
        TraceScript t = new TraceScript("svc").task(12, "awaits").blocking(30, "app::bridge::{{closure}}").blockOn(31)
                .on("ThreadId(2)", "w").enter(12).cloneWaker(12, 12L).exit(12)
                .on("ThreadId(7)", "blocking-1").enter(30).enter(31).exit(31).wake(12, 30L).exit(30);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals(WakeKind.BLOCKING, only(h.wakesOf(12)).kind());
        }
    }

    @Test
    void aBlockingSpanWithoutFnIsKnownByItsSpawnLocation() {
        TraceScript t = new TraceScript("svc").spawn(4, "", "blocking", null).spawn(5, "", "blocking", null)
                .task(9, "t")
                .on("ThreadId(3)", "w1").enter(4).enter(9).cloneWaker(9, 9L).exit(9)
                .on("ThreadId(6)", "w2").enter(5).wake(9, null);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals(WakeKind.RUNTIME, only(h.wakesOf(9)).kind());
        }
    }

    /**
     * Random threads, each inside one blocking span of one of a few closures; some poll tasks
     * now and then, all fire wakes outside any task. A wake is RUNTIME exactly when, by then, a
     * task has been polled inside a span of that closure; else BLOCKING with the span as waker.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
    void aWakeIsRuntimeExactlyWhenItsClosureHasBeenSeenPollingTasks(long seed) {
        Random random = new Random(seed);
        int closures = 1 + random.nextInt(3);
        int threads = 2 + random.nextInt(4);
        boolean[] polls = new boolean[threads];
        int[] closureOf = new int[threads];
        TraceScript t = new TraceScript("svc-" + seed).task(99, "woken");
        for (int i = 0; i < threads; i++) {
            closureOf[i] = random.nextInt(closures);
            polls[i] = random.nextBoolean();
            t.blocking(10 + i, "code" + closureOf[i] + "::{{closure}}");
        }
        for (int i = 0; i < threads; i++) {
            t.on("ThreadId(" + (10 + i) + ")", "t").enter(10 + i);
        }
        Set<Integer> learned = new HashSet<>();
        List<WakeKind> expected = new ArrayList<>();
        List<Long> expectedWaker = new ArrayList<>();
        for (int step = 0; step < 40; step++) {
            int i = random.nextInt(threads);
            t.on("ThreadId(" + (10 + i) + ")", "t");
            if (polls[i] && random.nextInt(3) == 0) {
                t.enter(99).cloneWaker(99, 99L).exit(99);
                learned.add(closureOf[i]);
            } else {
                t.wake(99, (long) (10 + i));
                expected.add(learned.contains(closureOf[i]) ? WakeKind.RUNTIME : WakeKind.BLOCKING);
                expectedWaker.add((long) (10 + i));
            }
        }
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            List<WakeEdge> edges = h.wakesOf(99);
            assertEquals(expected, edges.stream().map(WakeEdge::kind).toList());
            assertEquals(expectedWaker, edges.stream().map(e -> e.waker().spanId()).toList());
        }
    }
}
