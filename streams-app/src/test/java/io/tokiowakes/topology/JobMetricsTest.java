package io.tokiowakes.topology;

import io.tokiowakes.engine.JobMetrics;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The job's counters say what went out. */
class JobMetricsTest {

    @Test
    void everyWakeEdgeWrittenIsCountedUnderItsKind() {
        TraceScript t = new TraceScript("svc").task(10, "sender").task(11, "receiver")
                .on("ThreadId(2)", "tokio-runtime-worker").enter(10).wake(11, 10L).wakeByRef(10, 10L).exit(10)
                .on("ThreadId(9)", "feeder").wake(11, null);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            Map<String, Long> counters = h.metrics.snapshot();
            assertEquals(3, h.edges.size());
            assertEquals(h.edges.size(), JobMetrics.edges(counters));
            assertEquals(1L, counters.get("edges.TASK"));
            assertEquals(1L, counters.get("edges.SELF"));
            assertEquals(1L, counters.get("edges.EXTERNAL"));
            assertEquals(0, JobMetrics.edges(Map.of("anomalies.LOST_WAKER", 4L, "wake-delays", 2L)));
        }
    }
}
