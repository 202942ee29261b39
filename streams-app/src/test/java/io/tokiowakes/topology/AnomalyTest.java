package io.tokiowakes.topology;

import io.tokiowakes.detect.LintSettings;
import io.tokiowakes.emit.Anomaly;
import io.tokiowakes.json.Json;
import io.tokiowakes.model.AnomalyType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each anomaly, and the twin that looks close but is fine. */
class AnomalyTest {

    private static final String WORKER = "ThreadId(2)";
    private static final String FOREIGN = "ThreadId(9)";

    /** A task parked on a channel: it clones its waker and returns Pending. */
    private static TraceScript parked(TraceScript t, long span) {
        return t.on(WORKER, "tokio-runtime-worker").enter(span).cloneWaker(span, span).exit(span);
    }

    @Test
    void taskWokenOnlyFromOutsideIsReportedAtClose() {
        TraceScript t = new TraceScript("svc").task(8, "ext-only-consumer");
        for (int i = 0; i < 3; i++) {
            parked(t, 8).on(FOREIGN, "legacy-feeder").wake(8, null);
        }
        t.on(WORKER, "w").poll(8).poll(8).close(8);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals(List.of(AnomalyType.EXTERNAL_ONLY_WAKES), h.anomalyTypesOf(8));
            Anomaly a = h.allAnomalies().get(0);
            assertEquals(3L, a.wakes());
            assertEquals("ext-only-consumer", a.task().name());
            assertEquals("src/main.rs:10:5", a.task().loc());
            assertEquals(1008L, a.task().taskId());
        }
    }

    @Test
    void externalOnlyFromRecordsWithoutThreadsSaysWhatItRestsOn() {
        // Text input (ari-subscriber) names no threads: a root wake may be a timer or the I/O
        // driver as well as a foreign thread.
        TraceScript t = new TraceScript("svc").on(null, null).task(8, "consumer");
        for (int i = 0; i < 3; i++) {
            t.enter(8).cloneWaker(8, 8L).exit(8).wake(8, null);
        }
        t.poll(8).close(8);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals(List.of(AnomalyType.EXTERNAL_ONLY_WAKES), h.anomalyTypesOf(8));
            String detail = h.allAnomalies().get(0).detail();
            assertEquals("all 3 wakes came from outside any task; the trace names no threads, so a timer or I/O"
                    + " driver wake cannot be told from a wake by a thread outside the runtime", detail);
        }
    }

    @Test
    void externalOnlyWithSomeWakesWithoutThreadCountsThem() {
        TraceScript t = new TraceScript("svc").task(8, "consumer");
        parked(t, 8).on(FOREIGN, "feeder").wake(8, null);
        parked(t, 8).on(null, null).wake(8, null);
        t.on(WORKER, "w").poll(8).poll(8).close(8);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals(List.of(AnomalyType.EXTERNAL_ONLY_WAKES), h.anomalyTypesOf(8));
            assertTrue(h.allAnomalies().get(0).detail()
                    .startsWith("all 2 wakes came from outside any task; 1 of them in records that name no thread"));
        }
    }

    @Test
    void externalOnlyWithThreadsIsStatedAsFact() {
        TraceScript t = new TraceScript("svc").task(8, "consumer");
        parked(t, 8).on(FOREIGN, "feeder").wake(8, null);
        t.on(WORKER, "w").poll(8).poll(8).close(8);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals("all 1 wakes came from outside the runtime", h.allAnomalies().get(0).detail());
        }
    }

    @Test
    void taskWokenFromOutsideAndByATaskIsFine() {
        TraceScript t = new TraceScript("svc").task(8, "consumer").task(9, "producer");
        parked(t, 8).on(FOREIGN, "feeder").wake(8, null);
        parked(t, 8).on(WORKER, "w").enter(9).wake(8, 9L).exit(9);
        t.poll(8).poll(8).close(8);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals(List.of(), h.anomalyTypesOf(8));
        }
    }

    @Test
    void longLivedExternalOnlyTaskIsReportedOnceWithoutClosing() {
        JobSettings s = JobSettings.defaults();
        LintSettings l = s.lints();
        s = new JobSettings(s.topics(), s.reorderWindowNanos(), s.maxRecordBytes(),
                new LintSettings(5, l.lostWakerGraceNanos(), l.selfWakeMinWakes(), l.selfWakePercent(),
                        l.longPollNanos(), l.largeFutureBytes()));
        TraceScript t = new TraceScript("svc").task(8, "listener");
        for (int i = 0; i < 12; i++) {
            parked(t, 8).on(FOREIGN, "feeder").wake(8, null);
        }
        try (TopologyHarness h = new TopologyHarness(s).run(t)) {
            assertEquals(List.of(AnomalyType.EXTERNAL_ONLY_WAKES), h.anomalyTypesOf(8));
            assertEquals(5L, h.allAnomalies().get(0).wakes());
        }
    }

    @Test
    void blockingTasksAreNotLinted() {
        TraceScript t = new TraceScript("svc").blocking(30, "app::work::{{closure}}")
                .on("ThreadId(5)", "tokio-runtime-worker").enter(30).cloneWaker(30, 30L).exit(30)
                .on(FOREIGN, "x").wake(30, null)
                .on("ThreadId(5)", "tokio-runtime-worker").advanceMillis(50).poll(30).close(30);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals(List.of(), h.allAnomalies());
        }
    }

    @Test
    void taskThatDroppedItsOnlyWakerIsALostWakerAfterTheGrace() {
        TraceScript t = new TraceScript("svc").task(20, "lost-waker").task(21, "busy")
                .on(WORKER, "w").enter(20).cloneWaker(20, 20L).dropWaker(20, 20L).exit(20);
        for (int i = 0; i < 10; i++) {
            t.advanceMillis(1).poll(21);
        }
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals(List.of(AnomalyType.LOST_WAKER), h.anomalyTypesOf(20));
            assertEquals(List.of(), h.anomalyTypesOf(21), "a task polled all along is not lost");
        }
    }

    @Test
    void taskThatFinishedIsNeverALostWaker() {
        // Ready, then Tokio's drop enter/exit, then close: all within the grace.
        TraceScript t = new TraceScript("svc").task(20, "finisher").task(21, "busy")
                .on(WORKER, "w").poll(20).advanceMillis(1).poll(20).close(20);
        for (int i = 0; i < 10; i++) {
            t.advanceMillis(1).poll(21);
        }
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals(List.of(), h.allAnomalies());
        }
    }

    @Test
    void finishedTaskWhoseSpanClosesLateIsNotALostWaker() {
        // Tokio 1.24: a child span (a task it spawned) keeps the parent's span open after it finished.
        TraceScript t = new TraceScript("svc").task(20, "parent").task(21, "child")
                .on(WORKER, "w").poll(20).poll(20); // Ready, then the drop pair
        for (int i = 0; i < 10; i++) {
            t.advanceMillis(1).poll(21);
        }
        t.close(21).close(20);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals(List.of(), h.anomalyTypesOf(20));
            assertEquals(1, h.summaryOf(20).polls());
        }
    }

    @Test
    void taskWhoseWakerIsHeldElsewhereIsNotLost() {
        TraceScript t = new TraceScript("svc").task(20, "waiting").task(21, "busy")
                .on(WORKER, "w").enter(20).cloneWaker(20, 20L).exit(20);
        for (int i = 0; i < 10; i++) {
            t.advanceMillis(1).poll(21);
        }
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals(List.of(), h.allAnomalies());
        }
    }

    @Test
    void lostWakerNeedsTheGraceToPassInTraceTime() {
        // The trace ends 2 ms after the waker was dropped: less than the 5 ms grace.
        TraceScript t = new TraceScript("svc").task(20, "maybe").task(21, "busy")
                .on(WORKER, "w").enter(20).cloneWaker(20, 20L).dropWaker(20, 20L).exit(20)
                .advanceMillis(2).poll(21);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals(List.of(), h.allAnomalies());
        }
    }

    @Test
    void taskWokenAfterDroppingWakerIsNotLost() {
        TraceScript t = new TraceScript("svc").task(20, "t").task(21, "busy")
                .on(WORKER, "w").enter(20).cloneWaker(20, 20L).dropWaker(20, 20L).wakeByRef(20, 20L).exit(20)
                .advanceMillis(10).poll(21);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals(List.of(), h.anomalyTypesOf(20), "scheduled: it will be polled again");
        }
    }

    @Test
    void mostlySelfWokenTaskIsSelfWakeDominant() {
        TraceScript t = new TraceScript("svc").task(8, "spinner").task(9, "other");
        t.on(WORKER, "w");
        for (int i = 0; i < 8; i++) {
            t.enter(8).wakeByRef(8, 8L).exit(8);
        }
        for (int i = 0; i < 2; i++) {
            t.enter(8).cloneWaker(8, 8L).exit(8).enter(9).wake(8, 9L).exit(9);
        }
        t.poll(8).poll(8).close(8);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals(List.of(AnomalyType.SELF_WAKE_DOMINANT), h.anomalyTypesOf(8));
            assertEquals(10L, h.allAnomalies().get(0).wakes());
        }
    }

    @Test
    void halfSelfWakesOrTooFewWakesAreFine() {
        TraceScript t = new TraceScript("svc").task(8, "half").task(7, "few").task(9, "other");
        t.on(WORKER, "w");
        for (int i = 0; i < 5; i++) {
            t.enter(8).wakeByRef(8, 8L).exit(8);
            t.enter(8).cloneWaker(8, 8L).exit(8).enter(9).wake(8, 9L).exit(9);
        }
        for (int i = 0; i < 9; i++) {
            t.enter(7).wakeByRef(7, 7L).exit(7);
        }
        t.poll(8).close(8).poll(7).close(7);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals(List.of(), h.allAnomalies());
        }
    }

    @Test
    void wakeOfASpanThatIsNoLiveTaskIsReportedOnce() {
        TraceScript t = new TraceScript("svc").task(8, "a")
                .on(WORKER, "w").enter(8).wake(404, 8L).wake(404, 8L).exit(8);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals(List.of(AnomalyType.WAKE_OF_UNKNOWN_TASK), h.anomalyTypesOf(404));
            assertEquals(1, h.allAnomalies().size());
        }
    }

    @Test
    void unknownSpanIsReportedAgainOnlyAfterTheRetention() {
        TraceScript t = new TraceScript("svc").task(8, "a").on(WORKER, "w").enter(8).wake(404, 8L).exit(8)
                .advanceMillis(60_000).enter(8).wake(404, 8L).exit(8);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals(1, h.anomalyTypesOf(404).size(), "within the retention: once");
            int seen = t.records().size();
            t.advanceMillis(11 * 60_000).enter(8).exit(8);
            h.pipe(t.records().subList(seen, t.records().size())).flush();
            h.advanceWallClock(java.time.Duration.ofMinutes(1));
            seen = t.records().size();
            t.enter(8).wake(404, 8L).exit(8);
            h.pipe(t.records().subList(seen, t.records().size())).flush();
            assertEquals(2, h.anomalyTypesOf(404).size(), "eleven minutes of trace time later: again");
        }
    }

    @Test
    void wakeOfATaskThatClosedIsAWakeOfAnUnknownTask() {
        TraceScript t = new TraceScript("svc").task(8, "gone").task(9, "waker")
                .on(WORKER, "w").poll(8).close(8).enter(9).wake(8, 9L).exit(9);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals(List.of(AnomalyType.WAKE_OF_UNKNOWN_TASK), h.allAnomalies().stream().map(Anomaly::type).toList());
        }
    }

    @Test
    void wakeOfALiveTaskIsNotUnknown() {
        TraceScript t = new TraceScript("svc").task(8, "a").task(9, "b")
                .on(WORKER, "w").enter(9).wake(8, 9L).exit(9);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals(List.of(), h.allAnomalies());
        }
    }

    @Test
    void pollOfOverASecondIsALongPoll() {
        TraceScript t = new TraceScript("svc").task(8, "hog").task(9, "quick")
                .on(WORKER, "w").enter(8).advanceMillis(1200).cloneWaker(8, 8L).exit(8)
                .enter(9).advanceMillis(300).exit(9);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals(List.of(AnomalyType.LONG_POLL), h.anomalyTypesOf(8));
            assertEquals(List.of(), h.anomalyTypesOf(9));
        }
    }

    @Test
    void largeAndAutoBoxedFuturesAreReportedAtSpawn() {
        TraceScript t = new TraceScript("svc")
                .taskWith(8, "big", Json.MAPPER.createObjectNode().put("size.bytes", 2048))
                .taskWith(9, "boxed", Json.MAPPER.createObjectNode().put("size.bytes", 8).put("original_size.bytes", 20000))
                .taskWith(10, "small", Json.MAPPER.createObjectNode().put("size.bytes", 512));
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals(List.of(AnomalyType.LARGE_FUTURE), h.anomalyTypesOf(8));
            // Boxed: 8 bytes sit in the task, the 20000 are on the heap.
            assertEquals(List.of(AnomalyType.AUTO_BOXED_FUTURE), h.anomalyTypesOf(9));
            assertEquals(List.of(), h.anomalyTypesOf(10));
        }
    }
}
