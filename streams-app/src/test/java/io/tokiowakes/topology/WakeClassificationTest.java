package io.tokiowakes.topology;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokiowakes.emit.WakeEdge;
import io.tokiowakes.model.WakeKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each rule of "who woke whom": the waking task is the thread's current task. */
class WakeClassificationTest {

    private static final String WORKER = "ThreadId(2)";

    private static <T> T only(List<T> edges) {
        assertEquals(1, edges.size(), "edges: " + edges);
        return edges.get(0);
    }

    @Test
    void taskWakingItselfWhilePolledIsSelf() {
        TraceScript t = new TraceScript("svc").task(8, "receiver")
                .on(WORKER, "tokio-runtime-worker").enter(8).wakeByRef(8, 8L).exit(8);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            WakeEdge e = only(h.wakesOf(8));
            assertEquals(WakeKind.SELF, e.kind());
            assertEquals("waker.wake_by_ref", e.op());
            assertEquals(8, e.waker().spanId());
            assertEquals("receiver", e.wakee().name());
            assertEquals(1008L, e.wakee().taskId());
            assertEquals(WORKER, e.thread().id());
            assertEquals("svc/8", h.edgeKeys.get(0));
        }
    }

    @Test
    void wakeInsideUserSpanOfAnotherTaskIsThatTask() {
        // ping.round is entered inside the pinger's poll: the event's parent is the user span.
        TraceScript t = new TraceScript("svc").task(10, "pinger").task(11, "ponger")
                .span(50, 10L, "ping.round")
                .on(WORKER, "tokio-runtime-worker").enter(10).enter(50).wake(11, 50L).exit(50).exit(10);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            WakeEdge e = only(h.wakesOf(11));
            assertEquals(WakeKind.TASK, e.kind());
            assertEquals(10, e.waker().spanId());
            assertEquals("pinger", e.waker().name());
        }
    }

    @Test
    void wakeFromBlockOnFutureIsTask() {
        TraceScript t = new TraceScript("svc").blockOn(6).task(8, "receiver")
                .on("ThreadId(1)", "main").enter(6).wake(8, 6L).exit(6);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            WakeEdge e = only(h.wakesOf(8));
            assertEquals(WakeKind.TASK, e.kind());
            assertEquals("block_on", e.waker().kind());
        }
    }

    @Test
    void wakeFromSpawnBlockingClosureIsBlocking() {
        TraceScript t = new TraceScript("svc").task(12, "awaits-blocking")
                .blocking(30, "app::feed::{{closure}}")
                .on("ThreadId(7)", "tokio-runtime-worker").enter(30).wake(12, 30L).exit(30);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            WakeEdge e = only(h.wakesOf(12));
            assertEquals(WakeKind.BLOCKING, e.kind());
            assertEquals(30, e.waker().spanId());
        }
    }

    @Test
    void timerWakeOnWorkerOutsideAnyTaskIsRuntime() {
        // The worker thread sits in its own blocking span; the driver fires the timer there.
        TraceScript t = new TraceScript("svc").workerSpan(4).task(9, "ticker")
                .on(WORKER, "tokio-runtime-worker").enter(4).poll(9)
                .advanceMillis(10).wake(9, 4L).poll(9);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            WakeEdge e = only(h.wakesOf(9));
            assertEquals(WakeKind.RUNTIME, e.kind());
            assertEquals(4, e.waker().spanId(), "the worker's span is named as where it fired");
        }
    }

    @Test
    void deferredYieldNowWakeAfterThePollIsRuntimeNotSelf() {
        // yield_now (Tokio >= 1.23) defers the wake until the task has returned Pending.
        TraceScript t = new TraceScript("svc").workerSpan(4).task(19, "dispatcher")
                .on(WORKER, "tokio-runtime-worker").enter(4).enter(19).exit(19).wake(19, 4L).poll(19);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals(WakeKind.RUNTIME, only(h.wakesOf(19)).kind());
        }
    }

    @Test
    void driverWakeOnCurrentThreadRuntimeThreadIsRuntime() {
        // A current-thread runtime: main runs block_on and the driver, with no worker span.
        TraceScript t = new TraceScript("svc").blockOn(1).task(2, "sleeper")
                .on("ThreadId(1)", "main").enter(1).poll(2).exit(1)
                .advanceMillis(5).wake(2, null).enter(1).poll(2).exit(1);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            WakeEdge e = only(h.wakesOf(2));
            assertEquals(WakeKind.RUNTIME, e.kind());
            assertNull(e.waker());
        }
    }

    @Test
    void wakeFromThreadThatNeverPolledATaskIsExternal() {
        TraceScript t = new TraceScript("svc").task(8, "receiver")
                .on(WORKER, "tokio-runtime-worker").enter(8).cloneWaker(8, 8L).exit(8)
                .on("ThreadId(9)", "").wake(8, null);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            WakeEdge e = only(h.wakesOf(8));
            assertEquals(WakeKind.EXTERNAL, e.kind());
            assertNull(e.waker());
            assertEquals("", e.thread().name());
        }
    }

    @Test
    void renamedWorkerIsStillTheRuntimesThread() {
        // Applications rename workers: what counts is that the thread polled tasks.
        TraceScript t = new TraceScript("svc").task(8, "a").task(9, "b")
                .on("ThreadId(3)", "my-pool-1").poll(8).wake(9, null);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals(WakeKind.RUNTIME, only(h.wakesOf(9)).kind());
        }
    }

    @Test
    void rootSpanShapeOfNewerTokioStillFindsTheWakingTask() {
        // Tokio >= 1.35: task and resource spans are roots; the event's parent chain
        // async_op.poll -> async_op -> resource never reaches the task being polled.
        TraceScript t = new TraceScript("svc").task(10, "sender").task(11, "receiver")
                .span(60, null, "runtime.resource").span(61, 60L, "runtime.resource.async_op")
                .span(62, 61L, "runtime.resource.async_op.poll")
                .on(WORKER, "tokio-runtime-worker").enter(10).enter(62).wake(11, 62L).exit(62).exit(10);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            WakeEdge e = only(h.wakesOf(11));
            assertEquals(WakeKind.TASK, e.kind());
            assertEquals(10, e.waker().spanId());
        }
    }

    @Test
    void resourceCreatedByAnotherTaskDoesNotMisleadResolution() {
        // Tokio 1.24: the resource span hangs under the task that created it (10), but task 12 polls it.
        TraceScript t = new TraceScript("svc").task(10, "creator").task(11, "woken").task(12, "poller")
                .span(60, 10L, "runtime.resource.async_op.poll")
                .on(WORKER, "tokio-runtime-worker").enter(12).enter(60).wake(11, 60L).exit(60).exit(12);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals(12, only(h.wakesOf(11)).waker().spanId());
        }
    }

    @Test
    void cloneAndDropAreNotEdges() {
        TraceScript t = new TraceScript("svc").task(8, "a")
                .on(WORKER, "w").enter(8).cloneWaker(8, 8L).dropWaker(8, 8L).exit(8);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals(List.of(), h.edges);
        }
    }

    @Test
    void spanIdReusedAfterCloseIsANewTask() {
        TraceScript t = new TraceScript("svc").task(5, "first")
                .on(WORKER, "w").poll(5).wake(5, 5L).close(5)
                .task(5, "second").poll(5).on("ThreadId(9)", "").wake(5, null);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            List<WakeEdge> edges = h.wakesOf(5);
            assertEquals(2, edges.size());
            assertEquals("first", edges.get(0).wakee().name());
            assertEquals("second", edges.get(1).wakee().name());
            assertEquals(WakeKind.EXTERNAL, edges.get(1).kind());
        }
    }

    @Test
    void spanIdOfAClosedTaskReusedByAResourceSpanIsNotATask() {
        TraceScript t = new TraceScript("svc").task(5, "gone").task(6, "other")
                .on(WORKER, "w").poll(5).close(5)
                .span(5, null, "runtime.resource").enter(5).wake(6, 5L).exit(5);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            // The resource span 5 is not a task: nothing was being polled.
            assertEquals(WakeKind.RUNTIME, only(h.wakesOf(6)).kind());
        }
    }

    @Test
    void twoSourcesWithTheSameSpanIdsStayApart() {
        TraceScript a = new TraceScript("host-a").task(8, "a-task").on("ThreadId(2)", "w").enter(8).wakeByRef(8, 8L).exit(8);
        TraceScript b = new TraceScript("host-b").task(8, "b-task").on("ThreadId(9)", "ext").wake(8, null);
        try (TopologyHarness h = new TopologyHarness().run(a, b)) {
            List<WakeEdge> edges = h.wakesOf(8);
            assertEquals(2, edges.size());
            WakeEdge ea = edges.stream().filter(e -> e.source().equals("host-a")).findFirst().orElseThrow();
            WakeEdge eb = edges.stream().filter(e -> e.source().equals("host-b")).findFirst().orElseThrow();
            assertEquals(WakeKind.SELF, ea.kind());
            assertEquals("a-task", ea.wakee().name());
            // ThreadId(2) of host-a polled tasks; that says nothing about host-b's threads.
            assertEquals(WakeKind.EXTERNAL, eb.kind());
            assertEquals("b-task", eb.wakee().name());
        }
    }

    @Test
    void sameThreadIdInTwoSourcesIsTwoThreads() {
        TraceScript a = new TraceScript("host-a").task(8, "x").on("ThreadId(2)", "w").poll(8);
        TraceScript b = new TraceScript("host-b").task(8, "y").on("ThreadId(2)", "app-thread").wake(8, null);
        try (TopologyHarness h = new TopologyHarness().run(a, b)) {
            assertEquals(WakeKind.EXTERNAL, only(h.wakesOf(8)).kind());
        }
    }

    @Test
    void wakeOfUnknownSpanIsAnEdgeWithUnknownWakee() {
        TraceScript t = new TraceScript("svc").task(8, "a").on(WORKER, "w").enter(8).wake(99, 8L).exit(8);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            WakeEdge e = only(h.wakesOf(99));
            assertEquals(WakeKind.TASK, e.kind());
            assertNull(e.wakee().name());
            assertNull(e.wakee().kind());
            // On the topic the unknown wakee's name is there, as null (consumers read a fixed shape).
            JsonNode wire = only(h.edgesTo(99));
            assertTrue(wire.path("wakee").has("name") && wire.path("wakee").path("name").isNull());
        }
    }

    @Test
    void recordsArrivingOutOfOrderAreAppliedInSeqOrder() {
        TraceScript t = new TraceScript("svc").task(10, "sender").task(11, "receiver")
                .on(WORKER, "tokio-runtime-worker").enter(10).wake(11, 10L).exit(10)
                .on("ThreadId(9)", "").wake(11, null);
        // As if each key's partition were read one after the other, latest keys first.
        try (TopologyHarness h = new TopologyHarness().run(Interleavings.keysReversed(t.records()))) {
            List<WakeEdge> edges = h.wakesOf(11);
            assertEquals(List.of("TASK", "EXTERNAL"), edges.stream().map(e -> e.kind().name()).toList());
            assertEquals(0, h.metrics.get("late-records"));
        }
    }

    @Test
    void withoutSeqThreadOrderByTimeStandsIn() {
        TraceScript t = new TraceScript("svc").withoutSeq().task(10, "sender").task(11, "receiver")
                .on(WORKER, "w").enter(10).wake(11, 10L).exit(10);
        try (TopologyHarness h = new TopologyHarness().run(Interleavings.keysReversed(t.records()))) {
            assertEquals(WakeKind.TASK, only(h.wakesOf(11)).kind());
        }
    }
}
