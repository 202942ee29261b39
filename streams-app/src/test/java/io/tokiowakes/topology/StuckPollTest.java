package io.tokiowakes.topology;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokiowakes.detect.LintSettings;
import io.tokiowakes.emit.Anomaly;
import io.tokiowakes.json.Json;
import io.tokiowakes.model.AnomalyType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code LONG_POLL} for a poll that never returns: reported as soon as the source's trace time
 * shows it has lasted the threshold, once per task, like tokio-console's never-yielded lint.
 */
class StuckPollTest {

    private static JobSettings withLongPollMs(long ms) {
        JobSettings s = JobSettings.defaults();
        LintSettings l = s.lints();
        return new JobSettings(s.topics(), s.reorderWindowNanos(), s.maxRecordBytes(),
                new LintSettings(l.externalOnlyMinWakes(), l.lostWakerGraceNanos(), l.selfWakeMinWakes(),
                        l.selfWakePercent(), ms * 1_000_000L, l.largeFutureBytes())
                        // The random steps below leave woken tasks waiting as long as they make
                        // them: this test is about polls, not about waits for one.
                        .withSchedulingDelay(java.time.Duration.ofHours(1)));
    }

    /**
     * Another worker keeps polling a task every {@code stepMs}, each poll right after its wake:
     * the source's clock goes on.
     */
    private static void keepBusy(TraceScript t, long span, int steps, long stepMs) {
        t.on("ThreadId(3)", "tokio-runtime-worker");
        for (int i = 0; i < steps; i++) {
            t.advanceMillis(stepMs).wake(span, null).enter(span).cloneWaker(span, span).exit(span);
        }
    }

    @Test
    void aPollThatNeverReturnsIsReportedOnceItHasLastedTheThreshold() {
        TraceScript t = new TraceScript("svc").task(8, "stuck").task(9, "busy")
                .on("ThreadId(2)", "tokio-runtime-worker").enter(8);
        long start = t.now();
        keepBusy(t, 9, 30, 100); // 3 s of other work; task 8 never yields
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals(List.of(AnomalyType.LONG_POLL), h.anomalyTypesOf(8));
            assertEquals(List.of(), h.anomalyTypesOf(9));
            Anomaly a = h.allAnomalies().get(0);
            long at = a.tsNanos();
            assertTrue(at - start >= 1_000_000_000L, "not before the threshold: " + (at - start));
            assertTrue(at - start < 1_101_000_000L, "at the first record past it: " + (at - start));
            assertTrue(a.detail().contains("has not returned yet"), a.toString());
        }
    }

    @Test
    void aStuckPollThatEventuallyReturnsIsStillReportedOnce() {
        TraceScript t = new TraceScript("svc").task(8, "hog").task(9, "busy")
                .on("ThreadId(2)", "tokio-runtime-worker").enter(8);
        keepBusy(t, 9, 15, 100);
        t.on("ThreadId(2)", "tokio-runtime-worker").exit(8).advanceMillis(5).enter(8).advanceMillis(2000).exit(8);
        keepBusy(t, 9, 5, 100);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals(List.of(AnomalyType.LONG_POLL), h.anomalyTypesOf(8));
        }
    }

    @Test
    void aStuckBlockingClosureIsNotLinted() {
        TraceScript t = new TraceScript("svc").blocking(30, "app::read_file::{{closure}}").task(9, "busy")
                .on("ThreadId(5)", "tokio-runtime-worker").enter(30);
        keepBusy(t, 9, 30, 100);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals(List.of(), h.allAnomalies());
        }
    }

    @Test
    void aTaskThatIsClosedIsNoLongerWatched() {
        // Its span closes while "entered" (the exit was lost): nothing to report afterwards.
        TraceScript t = new TraceScript("svc").task(8, "short").task(9, "busy")
                .on("ThreadId(2)", "tokio-runtime-worker").enter(8).close(8);
        keepBusy(t, 9, 30, 100);
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals(List.of(), h.allAnomalies());
        }
    }

    /**
     * Random polls (some never returning) of tasks on their own workers, with other records in
     * between: each task is reported once, at the first record of the source at or past
     * {@code start + threshold} of one of its polls (the exit at the latest), never otherwise.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void eachTaskIsReportedAtTheFirstMomentTheTraceShowsItsPollLasted(long seed) {
        Random random = new Random(seed);
        long thresholdMs = 20 + random.nextInt(200);
        int tasks = 2 + random.nextInt(5);
        TraceScript t = new TraceScript("svc-" + seed);
        for (int i = 0; i < tasks; i++) {
            t.task(10 + i, "t" + i);
        }
        t.task(99, "ticker");
        long[] pollStart = new long[tasks];
        boolean[] inPoll = new boolean[tasks];
        for (int step = 0; step < 60; step++) {
            int i = random.nextInt(tasks + 1);
            t.advanceMillis(random.nextInt((int) thresholdMs / 2 + 1));
            if (i == tasks) {
                t.on("ThreadId(99)", "tokio-runtime-worker").enter(99).cloneWaker(99, 99L).exit(99).wake(99, null);
                continue;
            }
            t.on("ThreadId(" + (10 + i) + ")", "tokio-runtime-worker");
            if (inPoll[i]) {
                t.cloneWaker(10 + i, (long) (10 + i)).exit(10 + i).wake(10 + i, null);
            } else {
                t.enter(10 + i);
                pollStart[i] = t.now();
            }
            inPoll[i] = !inPoll[i];
        }
        List<JsonNode> records = parse(t.records());
        Map<Long, Long> expected = expectedReports(records, thresholdMs * 1_000_000L);
        try (TopologyHarness h = new TopologyHarness(withLongPollMs(thresholdMs)).run(t)) {
            Map<Long, Long> found = new HashMap<>();
            for (Anomaly a : h.allAnomalies()) {
                assertEquals(AnomalyType.LONG_POLL, a.type(), a.toString());
                Long before = found.put(a.task().spanId(), a.tsNanos());
                assertEquals(null, before, "once per task");
            }
            assertEquals(expected, found, "threshold " + thresholdMs + " ms");
        }
    }

    /** The rule, said independently of the job: walk the records in order with each task's open poll. */
    private static Map<Long, Long> expectedReports(List<JsonNode> records, long thresholdNanos) {
        Map<Long, Long> openSince = new HashMap<>();
        Map<Long, Long> reported = new HashMap<>();
        for (JsonNode r : records) {
            long ts = r.path("ts_nanos").asLong();
            String type = r.path("type").asText();
            long span = r.path("span_id").asLong();
            if (type.equals("span_exit") && openSince.containsKey(span)) {
                if (ts - openSince.remove(span) >= thresholdNanos) {
                    reported.putIfAbsent(span, ts);
                }
            }
            for (Map.Entry<Long, Long> e : openSince.entrySet()) {
                if (ts - e.getValue() >= thresholdNanos) {
                    reported.putIfAbsent(e.getKey(), ts);
                }
            }
            if (type.equals("span_enter")) {
                openSince.put(span, ts);
            }
        }
        return reported;
    }

    private static List<JsonNode> parse(List<String> lines) {
        List<JsonNode> out = new ArrayList<>();
        for (String l : lines) {
            try {
                out.add(Json.MAPPER.readTree(l));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }
}
