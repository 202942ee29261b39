package io.tokiowakes.engine;

import io.tokiowakes.detect.LintSettings;
import io.tokiowakes.detect.TaskLints;
import io.tokiowakes.emit.Output;
import io.tokiowakes.emit.TaskSummary;
import io.tokiowakes.emit.WakeDelay;
import io.tokiowakes.emit.WakeEdge;
import io.tokiowakes.ingest.InvalidRecordException;
import io.tokiowakes.ingest.TraceDecoder;
import io.tokiowakes.model.TaskState;
import io.tokiowakes.model.TraceRecord;
import io.tokiowakes.model.WakeKind;
import io.tokiowakes.topology.TraceScript;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine alone, with no Kafka and no JSON: a Tokio process's tracing callbacks in, in order,
 * and what it then knows of each task (the model) and what it emits (edges, delays, summaries).
 */
class WakeEngineTest {

    private static final String WORKER = "ThreadId(2)";

    private final CachedSourceStore store = CachedSourceStore.inMemory();
    private final WakeEngine engine = new WakeEngine(new TaskLints(LintSettings.DEFAULTS));
    private final List<Output> outputs = new ArrayList<>();

    private WakeEngineTest run(TraceScript script) {
        TraceDecoder decoder = new TraceDecoder(Integer.MAX_VALUE);
        for (String line : script.records()) {
            TraceRecord r;
            try {
                r = decoder.decode(line.getBytes(StandardCharsets.UTF_8));
            } catch (InvalidRecordException e) {
                throw new AssertionError(e.getMessage() + ": " + line);
            }
            engine.apply(r, store.bind(r.source()), outputs::add);
        }
        return this;
    }

    private TaskState task(long spanId) {
        return store.bind("svc").get(spanId);
    }

    private <T extends Output> List<T> emitted(Class<T> type) {
        return outputs.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private WakeEdge onlyEdge() {
        List<WakeEdge> edges = emitted(WakeEdge.class);
        assertEquals(1, edges.size(), "edges: " + edges);
        return edges.get(0);
    }

    @Test
    void aTaskThatWakesItselfByReferenceInItsPollIsSelfAndCountsAsSuch() {
        run(new TraceScript("svc").task(8, "receiver")
                .on(WORKER, "tokio-runtime-worker").enter(8).wakeByRef(8, 8L).exit(8));
        WakeEdge e = onlyEdge();
        assertEquals(WakeKind.SELF, e.kind());
        assertEquals(8, e.waker().spanId());
        TaskState receiver = task(8);
        assertEquals(1, receiver.polls);
        assertEquals(1, receiver.wakesByRef);
        assertEquals(0, receiver.wakesByValue);
        assertEquals(1, receiver.wakesByKind[WakeKind.SELF.ordinal()]);
        assertEquals(WakeKind.SELF, receiver.lastWakeKind);
    }

    @Test
    void theTaskBeingPolledOnTheWakingThreadIsTheWaker() {
        run(new TraceScript("svc").task(10, "sender").task(11, "receiver")
                .on(WORKER, "tokio-runtime-worker").enter(10).wake(11, 10L).exit(10));
        WakeEdge e = onlyEdge();
        assertEquals(WakeKind.TASK, e.kind());
        assertEquals("sender", e.waker().name());
        assertEquals("receiver", e.wakee().name());
        assertEquals(1, task(11).wakesByValue);
        assertEquals(1, task(11).wakesByKind[WakeKind.TASK.ordinal()]);
        assertEquals(0, task(10).wakesByValue, "the waker's own wake counts are untouched");
    }

    @Test
    void aThreadThatNeverPolledATaskWakesFromOutsideTheRuntime() {
        run(new TraceScript("svc").task(8, "receiver")
                .on(WORKER, "tokio-runtime-worker").poll(8)
                .on("ThreadId(9)", "feeder").wake(8, null));
        WakeEdge e = onlyEdge();
        assertEquals(WakeKind.EXTERNAL, e.kind());
        assertNull(e.waker());
        assertEquals(1, task(8).wakesByKind[WakeKind.EXTERNAL.ordinal()]);
    }

    @Test
    void aThreadThatPolledTasksWakesAsTheRuntimeOutsideAnyTask() {
        run(new TraceScript("svc").task(8, "a").task(9, "b")
                .on("ThreadId(3)", "my-pool-1").poll(8).wake(9, null));
        assertEquals(WakeKind.RUNTIME, onlyEdge().kind());
    }

    @Test
    void aWakeWaitsUntilTheWokenTasksNextPollAndThatWaitIsItsDelay() {
        run(new TraceScript("svc").task(10, "sender").task(11, "receiver")
                .on(WORKER, "tokio-runtime-worker").enter(10).wake(11, 10L).exit(10)
                .advanceMillis(3).poll(11));
        List<WakeDelay> delays = emitted(WakeDelay.class);
        assertEquals(1, delays.size(), "delays: " + delays);
        WakeDelay d = delays.get(0);
        assertEquals(WakeKind.TASK, d.kind());
        // The script's clock also moves 1 µs per record: the exit and the enter add theirs.
        long atLeast = Duration.ofMillis(3).toNanos();
        assertTrue(d.delayNanos() >= atLeast && d.delayNanos() <= atLeast + 10_000, "delay " + d.delayNanos());
        assertEquals(d.tsNanos() - d.wakeTsNanos(), d.delayNanos());
        assertEquals(1, task(11).polls);
        assertEquals(0, task(11).pendingWakes.size(), "the poll ended the wait");
    }

    @Test
    void aClosedTaskLeavesTheLiveTasksWithASummaryOfItsLife() {
        run(new TraceScript("svc").task(8, "worker-task")
                .on(WORKER, "tokio-runtime-worker").poll(8).wakeByRef(8, null).poll(8).close(8));
        assertNull(task(8), "a closed task is no longer live");
        List<TaskSummary> summaries = emitted(TaskSummary.class);
        assertEquals(1, summaries.size());
        TaskSummary s = summaries.get(0);
        assertEquals("worker-task", s.task().name());
        assertEquals(2, s.polls());
        assertEquals(1, s.wakes());
        assertEquals(1, s.wakesByRef());
    }
}
