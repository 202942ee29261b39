package io.tokiowakes.topology;

import io.tokiowakes.detect.LintSettings;
import io.tokiowakes.emit.Anomaly;
import io.tokiowakes.model.AnomalyType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code LONG_SCHEDULING_DELAY}: a task woken and not polled for {@code lint.scheduling-delay.ms}
 * of the source's trace time is starved. It is reported once per task, while it still waits
 * (as the source's clock advances), or at the poll that ends a wait no other record showed;
 * its twin, polled just in time, is not.
 */
class SchedulingDelayLintTest {

    private static final long WORKER = 1;
    private static final long STARVED = 10;
    private static final long SENDER = 11;
    private static final long BUSY = 12;
    private static final long THRESHOLD_MS = LintSettings.DEFAULT_SCHEDULING_DELAY_MS;

    /** Two workers; the task polled once and waiting; the sender about to wake it. */
    private static TraceScript woken() {
        return new TraceScript("svc").workerSpan(WORKER).on("ThreadId(2)", "tokio-rt-worker").enter(WORKER)
                .task(STARVED, "starved").task(SENDER, "sender").task(BUSY, "busy")
                .enter(STARVED).cloneWaker(STARVED, STARVED).exit(STARVED)
                .enter(SENDER).cloneWaker(SENDER, SENDER).wake(STARVED, SENDER).exit(SENDER);
    }

    /** Another worker polls another task every millisecond: the source's clock goes on. */
    private static TraceScript otherWorkerBusy(TraceScript t, long ms) {
        t.on("ThreadId(3)", "tokio-rt-worker");
        for (long i = 0; i < ms; i++) {
            t.advanceMillis(1).enter(BUSY).cloneWaker(BUSY, BUSY).exit(BUSY).wake(BUSY, null);
        }
        return t.on("ThreadId(2)", "tokio-rt-worker");
    }

    @Test
    void aTaskWaitingPastTheThresholdIsReportedWhileItStillWaits() {
        TraceScript t = otherWorkerBusy(woken(), THRESHOLD_MS + 20);
        long stillWaiting = t.now();
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals(List.of(AnomalyType.LONG_SCHEDULING_DELAY), h.anomalyTypesOf(STARVED));
            Anomaly a = anomalyOf(h, STARVED);
            assertTrue(a.tsNanos() < stillWaiting, "reported before the trace ends");
            String detail = a.detail();
            assertTrue(detail.startsWith("woken by sender (TASK, span 11) " + THRESHOLD_MS + " ms ago"), detail);
            assertEquals(List.of(), h.wakeDelaysOf(STARVED), "never polled: no delay yet");
        }
    }

    @Test
    void itsTwinPolledJustInTimeIsNot() {
        TraceScript t = otherWorkerBusy(woken(), THRESHOLD_MS - 2).enter(STARVED).cloneWaker(STARVED, STARVED)
                .exit(STARVED);
        otherWorkerBusy(t, 2 * THRESHOLD_MS);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals(List.of(), h.anomalyTypesOf(STARVED));
            long delay = h.wakeDelaysOf(STARVED).get(0).delayNanos();
            assertTrue(delay < Duration.ofMillis(THRESHOLD_MS).toNanos(), "waited " + delay);
        }
    }

    @Test
    void aWaitNoOtherRecordShowedIsReportedAtThePollThatEndsIt() {
        // A quiet process: the poll is the first record after the wake.
        TraceScript t = woken().advanceMillis(THRESHOLD_MS + 50).enter(STARVED).exit(STARVED);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals(List.of(AnomalyType.LONG_SCHEDULING_DELAY), h.anomalyTypesOf(STARVED));
            String detail = anomalyOf(h, STARVED).detail();
            assertTrue(detail.startsWith("waited " + (THRESHOLD_MS + 50) + " ms for a worker after a wake by sender"),
                    detail);
        }
    }

    @Test
    void reportedOncePerTask() {
        TraceScript t = otherWorkerBusy(woken(), THRESHOLD_MS + 5).enter(STARVED).cloneWaker(STARVED, STARVED)
                .exit(STARVED).wake(STARVED, WORKER);
        otherWorkerBusy(t, THRESHOLD_MS + 5).enter(STARVED).exit(STARVED).close(STARVED);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals(List.of(AnomalyType.LONG_SCHEDULING_DELAY), h.anomalyTypesOf(STARVED));
            assertEquals(List.of(AnomalyType.LONG_SCHEDULING_DELAY), h.summaryOf(STARVED).anomalies());
        }
    }

    @Test
    void blockingTasksAreNotLinted() {
        TraceScript t = new TraceScript("svc").workerSpan(WORKER).on("ThreadId(2)", "tokio-rt-worker").enter(WORKER)
                .task(BUSY, "busy").blocking(STARVED, "app::io::{{closure}}").task(SENDER, "sender")
                .enter(SENDER).wake(STARVED, SENDER).exit(SENDER);
        otherWorkerBusy(t, 2 * THRESHOLD_MS);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals(List.of(), h.anomalyTypesOf(STARVED));
        }
    }

    private static Anomaly anomalyOf(TopologyHarness h, long span) {
        return h.anomaliesOf(span).stream().findFirst().orElseThrow();
    }

    @Test
    void theThresholdIsASetting() {
        Properties p = new Properties();
        p.setProperty("lint.scheduling-delay.ms", "20");
        JobSettings s = JobSettings.from(p);
        assertEquals(Duration.ofMillis(20).toNanos(), s.lints().schedulingDelayNanos());
        TraceScript t = otherWorkerBusy(woken(), 30);
        try (TopologyHarness h = new TopologyHarness(s).run(t)) {
            assertEquals(List.of(AnomalyType.LONG_SCHEDULING_DELAY), h.anomalyTypesOf(STARVED));
        }
    }
}
