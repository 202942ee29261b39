package io.tokiowakes.topology;

import io.tokiowakes.engine.JobMetrics;
import io.tokiowakes.emit.Anomaly;
import io.tokiowakes.emit.Output;
import io.tokiowakes.emit.WakeEdge;
import io.tokiowakes.model.WakeKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.nio.charset.StandardCharsets;
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
            List<WakeEdge> edges = h.wakesOf(8);
            assertEquals(1, edges.size());
            assertEquals("new-receiver", edges.get(0).wakee().name());
            // ThreadId(7) of the new process never polled a task: EXTERNAL, whatever the old one did.
            assertEquals(WakeKind.EXTERNAL, edges.get(0).kind());
            assertEquals(1, h.metrics.get("source-restarts"));
            assertEquals(0, h.metrics.get("late-records"));
            assertEquals(List.of(), h.anomalyTypesOf(9), "the old process's tasks are forgotten, not reported");
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

    /**
     * A restart of one source forgets only that source's tasks and threads, also when another
     * source's name starts with its name and a '/' (keys are {@code "<source>/<id>"}).
     */
    @ParameterizedTest
    @CsvSource({"svc, svc/host1/4242", "svc/host1/4242, svc", "a, a/b", "svc/1, svc/1/2", "svc, svc/thread",
            "svc, svc0", "svc, svc/"})
    void restartOfOneSourceKeepsTheStateOfSourcesWhoseNamesExtendIt(String restarted, String neighbour) {
        List<String> records = restartNextToNeighbour(restarted, neighbour);
        try (TopologyHarness h = new TopologyHarness().run(records)) {
            assertEquals(1, h.metrics.get("source-restarts"));
            List<WakeEdge> toNeighbour = h.allWakes().stream().filter(e -> e.source().equals(neighbour)).toList();
            assertEquals(1, toNeighbour.size(), "edges: " + h.edges);
            assertEquals("neighbour-task", toNeighbour.get(0).wakee().name());
            assertEquals(WakeKind.RUNTIME, toNeighbour.get(0).kind(), "its worker thread is remembered");
            assertEquals(List.of(), h.allAnomalies().stream().map(Anomaly::type).toList());
        }
    }

    /** The same through analyze's in-memory state (no tables behind the in-memory copies). */
    @ParameterizedTest
    @CsvSource({"svc, svc/host1/4242", "a, a/b", "svc/1, svc/1/2"})
    void restartInAnalyzeKeepsTheStateOfSourcesWhoseNamesExtendIt(String restarted, String neighbour) {
        List<Output> outputs = new java.util.ArrayList<>();
        JobMetrics metrics = new JobMetrics();
        InProcessRun run = new InProcessRun(JobSettings.defaults(), metrics, new InProcessRun.Sink() {
            @Override
            public void output(Output out) {
                outputs.add(out);
            }

            @Override
            public void rejected(byte[] value, String reason) {
                throw new AssertionError(reason);
            }
        });
        restartNextToNeighbour(restarted, neighbour).forEach(r -> run.accept(r.getBytes(StandardCharsets.UTF_8)));
        run.finish();
        assertEquals(1, metrics.get("source-restarts"));
        List<WakeEdge> toNeighbour = outputs.stream().filter(o -> o instanceof WakeEdge e && e.source().equals(neighbour))
                .map(o -> (WakeEdge) o).toList();
        assertEquals(1, toNeighbour.size());
        assertEquals("neighbour-task", toNeighbour.get(0).wakee().name());
        assertEquals(WakeKind.RUNTIME, toNeighbour.get(0).kind());
        assertEquals(List.of(), outputs.stream().filter(o -> o instanceof Anomaly).toList());
    }

    /**
     * The neighbour polls a task on its worker; the other source runs, restarts 60 s later;
     * then the neighbour's worker wakes its task outside any poll (a timer).
     */
    private static List<String> restartNextToNeighbour(String restarted, String neighbour) {
        // Each part runs longer than the ordering window, so that its start is applied when the
        // next part arrives.
        TraceScript n = new TraceScript(neighbour).task(8, "neighbour-task").task(7, "neighbour-other")
                .on("ThreadId(2)", "tokio-runtime-worker").enter(8).cloneWaker(8, 8L).exit(8)
                .advanceMillis(300).enter(7).cloneWaker(7, 7L).exit(7);
        int firstPart = n.records().size();
        n.advanceMillis(61_000).wake(8, null).poll(8).close(8);
        TraceScript before = new TraceScript(restarted).task(8, "old").task(9, "old-other")
                .on("ThreadId(2)", "w").enter(8).cloneWaker(8, 8L).exit(8)
                .advanceMillis(1000).enter(9).cloneWaker(9, 9L).exit(9);
        TraceScript after = new TraceScript(restarted).advanceMillis(60_000).task(5, "new")
                .on("ThreadId(2)", "w").poll(5).close(5);
        List<String> records = new ArrayList<>(n.records().subList(0, firstPart));
        records.addAll(before.records());
        records.addAll(after.records());
        records.addAll(n.records().subList(firstPart, n.records().size()));
        return records;
    }
}
