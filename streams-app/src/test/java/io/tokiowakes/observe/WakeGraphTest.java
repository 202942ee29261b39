package io.tokiowakes.observe;

import io.tokiowakes.graph.TaskView;
import com.fasterxml.jackson.databind.JsonNode;
import io.tokiowakes.json.Json;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wake-graph branch and the REST API over it, on the mixed fixture (every task closes). */
class WakeGraphTest {

    private static final String SOURCE = "tracegen-mixed";

    @Test
    void countsWakesPerWindowByWakerWakeeAndKind() throws IOException {
        try (ObserveHarness h = new ObserveHarness().fixture("mixed-w2")) {
            h.advance(Duration.ofSeconds(2));
            List<TestRecord<String, String>> out = h.graph.readRecordsToList();
            assertFalse(out.isEmpty(), "a window was written");
            TestRecord<String, String> last = out.get(out.size() - 1);
            // The trace's own time (ts_nanos 1795682303676038188...), not when Kafka took the records.
            assertEquals(SOURCE + "/window/1795682280000", last.key());
            JsonNode w = Json.MAPPER.readTree(last.value());
            assertEquals(1795682280000L, w.path("window_start_ms").asLong());
            assertEquals(1795682340000L, w.path("window_end_ms").asLong());
            Map<String, Long> counts = new HashMap<>();
            long total = 0;
            for (JsonNode c : w.path("wakes")) {
                counts.put(c.path("waker").asText() + ">" + c.path("wakee").asText() + ":" + c.path("kind").asText(),
                        c.path("count").asLong());
                total += c.path("count").asLong();
            }
            assertEquals(45, total, "every edge of the fixture counted once");
            assertEquals(4, counts.get("ponger>pinger:TASK"));
            assertEquals(3, counts.get("pinger>ponger:TASK"));
            assertEquals(5, counts.get("(external)>ext-only-consumer:EXTERNAL"));
            assertEquals(1, counts.get("(runtime)>awaits-blocking:RUNTIME"));
            // RUNTIME wakes in a multi-thread worker's own blocking span are the runtime's too.
            assertEquals(12, counts.get("(runtime)>dispatcher:RUNTIME"));
            assertTrue(counts.keySet().stream().noneMatch(k -> k.startsWith("(blocking)>")), counts.toString());

            h.advance(Duration.ofSeconds(2));
            assertTrue(h.graph.readRecordsToList().isEmpty(), "an unchanged window is not written again");
        }
    }

    @Test
    void graphKeepsClosedAnomalousTasks() throws IOException {
        try (ObserveHarness h = new ObserveHarness().fixture("mixed-w2")) {
            Reply r = h.api().get("/api/sources/" + SOURCE + "/graph", "", false);
            assertEquals(200, r.status());
            JsonNode g = Json.MAPPER.readTree(r.body());
            Map<String, JsonNode> nodes = new HashMap<>();
            g.path("nodes").forEach(n -> nodes.put(n.path("id").asText(), n));
            assertTrue(nodes.get("lost-waker").path("anomalous").asBoolean());
            assertEquals("LOST_WAKER", nodes.get("lost-waker").path("anomalies").get(0).asText());
            assertTrue(nodes.get("ext-only-consumer").path("anomalous").asBoolean());
            assertFalse(nodes.get("pinger").path("anomalous").asBoolean());
            assertTrue(nodes.get("(external)").path("pseudo").asBoolean());
            assertEquals(9, g.path("edges").size());
        }
    }

    @Test
    void oneTaskWithItsRecentWakes() throws IOException {
        try (ObserveHarness h = new ObserveHarness().fixture("mixed-w2")) {
            JsonNode pinger = Json.MAPPER.readTree(h.api().get("/api/sources/" + SOURCE + "/tasks/10", "", false).body());
            assertEquals("pinger", pinger.path("task").path("name").asText());
            assertEquals("closed", pinger.path("task").path("state").asText());
            assertEquals(4, pinger.path("wakes_in").size());
            assertEquals("ponger", pinger.path("wakes_in").get(0).path("peer").asText());
            assertEquals(3, pinger.path("wakes_out").size());

            JsonNode dispatcher = Json.MAPPER.readTree(h.api().get("/api/sources/" + SOURCE + "/tasks/19", "", false).body());
            assertEquals(TaskView.RECENT, dispatcher.path("wakes_in").size(), "12 wakes in, the latest 10 kept");

            JsonNode tasks = Json.MAPPER.readTree(h.api().get("/api/sources/" + SOURCE + "/tasks", "", false).body());
            assertEquals(15, tasks.path("tasks").size());
        }
    }

    /**
     * Each arrow of a window carries the delays from its wakes to the wakee's next polls (as many
     * as tokio.wake-delays has for it, with their largest) and the resources the wakee waited on.
     */
    @Test
    void arrowsCarryTheirDelaysAndWhatTheWakeeWaitedOn() throws IOException {
        try (ObserveHarness h = new ObserveHarness().fixture("mixed-w2")) {
            h.advance(Duration.ofSeconds(2));
            List<TestRecord<String, String>> out = h.graph.readRecordsToList();
            JsonNode w = Json.MAPPER.readTree(out.get(out.size() - 1).value());
            Map<String, List<Long>> delays = new HashMap<>();
            for (String v : h.delays.readValuesToList()) {
                JsonNode d = Json.MAPPER.readTree(v);
                String waker = d.path("kind").asText().equals("RUNTIME") ? "(runtime)"
                        : d.path("waker").isNull() ? "(external)" : d.path("waker").path("name").asText();
                delays.computeIfAbsent(waker + ">" + d.path("wakee").path("name").asText() + ":" + d.path("kind").asText(),
                        k -> new java.util.ArrayList<>()).add(d.path("delay_nanos").asLong());
            }
            assertTrue(delays.size() >= 8, delays.keySet().toString());
            Map<String, JsonNode> arrows = new HashMap<>();
            for (JsonNode c : w.path("wakes")) {
                String key = c.path("waker").asText() + ">" + c.path("wakee").asText() + ":" + c.path("kind").asText();
                arrows.put(key, c);
                List<Long> mine = delays.getOrDefault(key, List.of());
                assertEquals(mine.size(), c.path("delays").path("count").asLong(), key + ": " + c);
                if (!mine.isEmpty()) {
                    long max = mine.stream().mapToLong(Long::longValue).max().orElseThrow();
                    assertEquals(max, c.path("delays").path("max_nanos").asLong(), key);
                    long p50 = c.path("delays").path("p50_nanos").asLong();
                    assertTrue(p50 <= c.path("delays").path("p99_nanos").asLong() && p50 > 0, c.toString());
                }
            }
            JsonNode ticker = arrows.get("(runtime)>ticker:RUNTIME");
            assertEquals(5, ticker.path("count").asLong());
            assertEquals(1, ticker.path("waits_on").size(), ticker.toString());
            assertEquals("timer Sleep tokio-1.24.2/src/time/interval.rs:135:52",
                    ticker.path("waits_on").get(0).path("resource").asText());
            assertEquals(5, ticker.path("waits_on").get(0).path("wakes").asLong());
            assertFalse(arrows.get("ponger>pinger:TASK").has("waits_on"), "a channel without a resource span");

            JsonNode g = Json.MAPPER.readTree(h.api().get("/api/sources/" + SOURCE + "/graph", "", false).body());
            for (JsonNode e : g.path("edges")) {
                JsonNode c = arrows.get(e.path("from").asText() + ">" + e.path("to").asText() + ":" + e.path("kind").asText());
                assertEquals(c.path("delays"), e.path("delays"), "one window: the graph's arrow is the window's");
                assertEquals(c.path("waits_on").size(), e.path("waits_on").size());
            }
        }
    }

    /** A task's detail names what it waits on, the delays of its wakes and the resources it was woken through. */
    @Test
    void aTasksDetailShowsWhatItWaitedOnAndHowLongItsWakesWaited() throws IOException {
        try (ObserveHarness h = new ObserveHarness().fixture("mixed-w2")) {
            Map<Long, Long> delayOfWakeAt = new HashMap<>();
            for (String v : h.delays.readValuesToList()) {
                JsonNode d = Json.MAPPER.readTree(v);
                if (d.path("wakee").path("name").asText().equals("ticker")) {
                    delayOfWakeAt.put(d.path("wake_ts_nanos").asLong(), d.path("delay_nanos").asLong());
                }
            }
            JsonNode ticker = Json.MAPPER.readTree(h.api().get("/api/sources/" + SOURCE + "/tasks/9", "", false).body());
            assertEquals("ticker", ticker.path("task").path("name").asText());
            assertEquals(5, ticker.path("wakes_in").size());
            for (JsonNode in : ticker.path("wakes_in")) {
                assertEquals(delayOfWakeAt.get(in.path("ts_nanos").asLong()), in.path("delay_nanos").asLong(), in.toString());
                assertEquals("timer Sleep tokio-1.24.2/src/time/interval.rs:135:52", in.path("waits_on").get(0).asText());
            }
            assertEquals(5, ticker.path("scheduling_delays_by_kind").path("RUNTIME").path("count").asLong(), ticker.toString());
            assertEquals(5, ticker.path("wakes_by_resource").get(0).path("wakes").asLong());
            assertEquals("Sleep", ticker.path("wakes_by_resource").get(0).path("resource").path("concrete_type").asText());
            assertTrue(ticker.path("waits_on").isNull(), "closed: it waits on nothing now");
        }
    }

    @Test
    void aLiveTasksDetailNamesTheResourcesItsWakerSitsIn() throws IOException {
        try (ObserveHarness h = new ObserveHarness()) {
            String src = "svc";
            h.pipe(src + "/8", line(src, 1, "{\"type\":\"span_new\",\"span_id\":8,\"name\":\"runtime.spawn\",\"target\":\"tokio::task\","
                    + "\"fields\":{\"kind\":\"task\",\"task.name\":\"sleeper\",\"task.id\":4}"));
            h.pipe(src + "/8", line(src, 2, "{\"type\":\"span_enter\",\"span_id\":8"));
            h.pipe(src + "/20", line(src, 3, "{\"type\":\"span_new\",\"span_id\":20,\"parent_id\":null,\"name\":\"runtime.resource\","
                    + "\"target\":\"tokio::time::sleep\",\"fields\":{\"concrete_type\":\"Sleep\",\"kind\":\"timer\","
                    + "\"loc.file\":\"src/main.rs\",\"loc.line\":12,\"loc.col\":5}"));
            h.pipe(src + "/21", line(src, 4, "{\"type\":\"span_new\",\"span_id\":21,\"parent_id\":20,"
                    + "\"name\":\"runtime.resource.async_op\",\"target\":\"tokio::time::sleep\",\"fields\":{\"source\":\"Sleep::new_timeout\"}"));
            h.pipe(src + "/21", line(src, 5, "{\"type\":\"event\",\"parent_id\":21,\"name\":\"event\",\"target\":\"tokio::task::waker\","
                    + "\"fields\":{\"op\":\"waker.clone\",\"task.id\":8}"));
            h.pipe(src + "/8", line(src, 6, "{\"type\":\"span_exit\",\"span_id\":8"));
            h.advance(Duration.ofSeconds(2));
            JsonNode one = Json.MAPPER.readTree(h.api().get("/api/sources/" + src + "/tasks/8", "", false).body());
            assertEquals("idle", one.path("task").path("state").asText());
            assertEquals(1, one.path("waits_on").size(), one.toString());
            assertEquals("Sleep", one.path("waits_on").get(0).path("concrete_type").asText());
            assertEquals("src/main.rs:12:5", one.path("waits_on").get(0).path("loc").asText());
        }
    }

    /** A closed task's detail carries what its summary said: polls, wakes, location, wakes by kind. */
    @Test
    void aClosedTaskShowsItsSummarysFigures() throws IOException {
        try (ObserveHarness h = new ObserveHarness().fixture("mixed-w2")) {
            Map<Long, JsonNode> summaries = new HashMap<>();
            for (String v : h.summaries.readValuesToList()) {
                JsonNode s = Json.MAPPER.readTree(v);
                summaries.put(s.path("task").path("span_id").asLong(), s);
            }
            assertEquals(15, summaries.size(), "every task of the fixture closed");
            for (Map.Entry<Long, JsonNode> e : summaries.entrySet()) {
                JsonNode summary = e.getValue();
                JsonNode detail = Json.MAPPER.readTree(h.api().get("/api/sources/" + SOURCE + "/tasks/" + e.getKey(), "", false).body());
                String which = "task " + e.getKey() + ": " + detail;
                assertEquals("closed", detail.path("task").path("state").asText(), which);
                assertEquals(summary.path("polls").asLong(), detail.path("task").path("polls").asLong(), which);
                assertEquals(summary.path("wakes").asLong(), detail.path("task").path("wakes").asLong(), which);
                assertEquals(summary.path("task").path("loc").asText(), detail.path("loc").asText(), which);
                assertEquals(summary.path("wakes_by_kind"), detail.path("wakes_by_kind"), which);
                assertEquals(summary.path("ts_nanos").asLong(), detail.path("closed_nanos").asLong(), which);
            }
            JsonNode pinger = summaries.get(10L);
            assertTrue(pinger.path("polls").asLong() > 0 && pinger.path("wakes").asLong() > 0, pinger.toString());
        }
    }

    /** A worker's own blocking span is the runtime: so labelled in the task list and the graph. */
    @Test
    void aMultiThreadWorkersOwnSpanIsTheRuntime() throws IOException {
        try (ObserveHarness h = new ObserveHarness()) {
            String src = "svc";
            // The worker loop's blocking span (as Tokio's multi-thread runtime runs it), a task
            // polled inside it, then a timer wake there outside any task.
            h.pipe(src + "/1", line(src, 1, "{\"type\":\"span_new\",\"span_id\":1,\"name\":\"runtime.spawn\",\"target\":\"tokio::task\","
                    + "\"fields\":{\"kind\":\"blocking\",\"task.id\":1,\"fn\":\"tokio::runtime::scheduler::multi_thread::worker::Launch::launch\"}"));
            h.pipe(src + "/1", line(src, 2, "{\"type\":\"span_enter\",\"span_id\":1"));
            h.pipe(src + "/2", line(src, 3, "{\"type\":\"span_new\",\"span_id\":2,\"name\":\"runtime.spawn\",\"target\":\"tokio::task\","
                    + "\"fields\":{\"kind\":\"task\",\"task.name\":\"ticker\",\"task.id\":2}"));
            h.pipe(src + "/2", line(src, 4, "{\"type\":\"span_enter\",\"span_id\":2"));
            h.pipe(src + "/2", line(src, 5, "{\"type\":\"event\",\"parent_id\":2,\"name\":\"event\",\"target\":\"tokio::task::waker\","
                    + "\"fields\":{\"op\":\"waker.clone\",\"task.id\":2}"));
            h.pipe(src + "/2", line(src, 6, "{\"type\":\"span_exit\",\"span_id\":2"));
            h.pipe(src + "/1", line(src, 7, "{\"type\":\"event\",\"parent_id\":1,\"name\":\"event\",\"target\":\"tokio::task::waker\","
                    + "\"fields\":{\"op\":\"waker.wake\",\"task.id\":2}"));
            h.advance(Duration.ofSeconds(2));

            JsonNode tasks = Json.MAPPER.readTree(h.api().get("/api/sources/" + src + "/tasks", "", false).body());
            Map<Long, String> labels = new HashMap<>();
            tasks.path("tasks").forEach(t -> labels.put(t.path("span_id").asLong(), t.path("label").asText()));
            assertEquals(Map.of(1L, "(runtime)", 2L, "ticker"), labels);
            JsonNode g = Json.MAPPER.readTree(h.api().get("/api/sources/" + src + "/graph", "", false).body());
            assertEquals(1, g.path("edges").size(), g.toString());
            JsonNode edge = g.path("edges").get(0);
            assertEquals("(runtime)", edge.path("from").asText());
            assertEquals("RUNTIME", edge.path("kind").asText());
            assertEquals(1, edge.path("count").asLong());
            Map<String, JsonNode> nodes = new HashMap<>();
            g.path("nodes").forEach(n -> nodes.put(n.path("id").asText(), n));
            assertEquals(java.util.Set.of("(runtime)", "ticker"), nodes.keySet());
            assertEquals(1, nodes.get("(runtime)").path("live").asInt(), "the worker's span is counted under (runtime)");
        }
    }

    /**
     * Windows and task views are kept for graph.retention.ms of the source's trace time: a window
     * 20 s of trace time older than the source's latest record goes, while the source still sends.
     */
    @Test
    void windowsAreKeptByTheSourcesTraceTime() throws IOException {
        try (ObserveHarness h = new ObserveHarness(Map.of("graph.window.ms", "1000", "graph.retention.ms", "5000"))) {
            String src = "svc";
            spawnReceiver(h, src, 1, 1_000_000_000L);
            wakeReceiver(h, src, 2, 1_500_000_000L);
            h.advance(Duration.ofSeconds(2));
            assertEquals(List.of(1000L), windowStarts(h, src));
            wakeReceiver(h, src, 3, 21_500_000_000L);
            // The wake leaves the ordering buffer on one tick, the purge runs on a later one.
            for (int i = 0; i < 3; i++) {
                h.advance(Duration.ofSeconds(1));
            }
            assertEquals(List.of(21_000L), windowStarts(h, src), "the window 20 s of trace time back is gone");
        }
    }

    /**
     * A window is kept while it ends no earlier than the retention before the source's latest trace
     * time: at 21.5 s with 5 s kept, the window ending at 16 s goes and the one ending at 17 s stays.
     */
    @Test
    void theRetentionKeepsEveryWindowThatEndsWithinIt() throws IOException {
        try (ObserveHarness h = new ObserveHarness(Map.of("graph.window.ms", "1000", "graph.retention.ms", "5000"))) {
            String src = "svc";
            spawnReceiver(h, src, 1, 1_000_000_000L);
            long seq = 2;
            for (long tsNanos : new long[] {15_500_000_000L, 16_200_000_000L, 21_500_000_000L}) {
                wakeReceiver(h, src, seq++, tsNanos);
            }
            for (int i = 0; i < 3; i++) {
                h.advance(Duration.ofSeconds(1));
            }
            assertEquals(List.of(16_000L, 21_000L), windowStarts(h, src));
        }
    }

    /**
     * Each source's windows follow its own trace time: a source whose clock is far behind another's
     * (a host with a skewed clock, a replayed trace) keeps its windows beside it.
     */
    @Test
    void aSourceBehindAnotherKeepsItsWindows() throws IOException {
        try (ObserveHarness h = new ObserveHarness(Map.of("graph.window.ms", "1000", "graph.retention.ms", "5000"))) {
            long[] times = {1_500_000_000L, 100_500_000_000L};
            String[] sources = {"behind", "ahead"};
            for (int i = 0; i < 2; i++) {
                String src = sources[i];
                spawnReceiver(h, src, 1, times[i] - 500_000_000L);
                wakeReceiver(h, src, 2, times[i]);
            }
            for (int i = 0; i < 3; i++) {
                h.advance(Duration.ofSeconds(1));
            }
            assertEquals(List.of(1_000L), windowStarts(h, "behind"));
            assertEquals(List.of(100_000L), windowStarts(h, "ahead"));
        }
    }

    /** Spawns the task "receiver" (span 8) at a trace time. */
    private static void spawnReceiver(ObserveHarness h, String src, long seq, long tsNanos) {
        h.pipe(src + "/8", at(src, seq, tsNanos, "{\"type\":\"span_new\",\"span_id\":8,\"name\":\"runtime.spawn\","
                + "\"target\":\"tokio::task\",\"fields\":{\"kind\":\"task\",\"task.name\":\"receiver\",\"task.id\":4}"));
    }

    /** Wakes "receiver" by reference from a thread that never polled a task, at a trace time. */
    private static void wakeReceiver(ObserveHarness h, String src, long seq, long tsNanos) {
        h.pipe(src + "/thread/ThreadId(9)", at(src, seq, tsNanos, "{\"type\":\"event\",\"name\":\"event\",\"target\":\"tokio::task::waker\","
                + "\"fields\":{\"op\":\"waker.wake_by_ref\",\"task.id\":8}"));
    }

    private static List<Long> windowStarts(ObserveHarness h, String source) {
        return new SourceReader(h.stores()).windows(source).stream().map(kv -> kv.key.windowStartMs()).distinct().sorted().toList();
    }

    @Test
    void liveTasksShowTheirState() throws IOException {
        try (ObserveHarness h = new ObserveHarness()) {
            String src = "svc-a/host1/4242";
            h.pipe(src + "/8", line(src, 1, "{\"type\":\"span_new\",\"span_id\":8,\"name\":\"runtime.spawn\",\"target\":\"tokio::task\","
                    + "\"fields\":{\"kind\":\"task\",\"task.name\":\"receiver\",\"task.id\":4}"));
            h.pipe(src + "/8", line(src, 2, "{\"type\":\"span_enter\",\"span_id\":8"));
            h.pipe(src + "/8", line(src, 3, "{\"type\":\"event\",\"parent_id\":8,\"name\":\"event\",\"target\":\"tokio::task::waker\","
                    + "\"fields\":{\"op\":\"waker.clone\",\"task.id\":8}"));
            h.pipe(src + "/8", line(src, 4, "{\"type\":\"span_exit\",\"span_id\":8"));
            // On a thread that polled a task, outside any task: the runtime woke it.
            h.pipe(src + "/thread/ThreadId(1)", line(src, 5, "{\"type\":\"event\",\"name\":\"event\",\"target\":\"tokio::task::waker\","
                    + "\"fields\":{\"op\":\"waker.wake_by_ref\",\"task.id\":8}"));
            h.advance(Duration.ofSeconds(2));
            String encoded = "svc-a%2Fhost1%2F4242";
            JsonNode tasks = Json.MAPPER.readTree(h.api().get("/api/sources/" + encoded + "/tasks", "", false).body());
            JsonNode t = tasks.path("tasks").get(0);
            assertEquals("receiver", t.path("name").asText());
            assertEquals("scheduled", t.path("state").asText());
            assertEquals(1, t.path("outstanding_wakers").asLong());
            assertEquals("RUNTIME", t.path("last_wake_kind").asText());

            JsonNode one = Json.MAPPER.readTree(h.api().get("/api/sources/" + encoded + "/tasks/8", "", false).body());
            assertEquals("(runtime)", one.path("wakes_in").get(0).path("peer").asText());
            assertEquals(1, one.path("wakes_by_kind").path("RUNTIME").asLong());
        }
    }

    @Test
    void unknownSourceOrTaskIs404WithAJsonBody() throws IOException {
        try (ObserveHarness h = new ObserveHarness().fixture("mixed-w2")) {
            Reply noSource = h.api().get("/api/sources/nope/graph", "", false);
            assertEquals(404, noSource.status());
            assertEquals(Reply.JSON, noSource.contentType());
            assertTrue(Json.MAPPER.readTree(noSource.body()).path("error").asText().contains("unknown source"));
            assertEquals(404, h.api().get("/api/sources/" + SOURCE + "/tasks/999", "", false).status());
            Reply notANumber = h.api().get("/api/sources/" + SOURCE + "/tasks/x1", "", false);
            assertEquals(400, notANumber.status(), "a malformed span ID is the request's fault");
            assertTrue(Json.MAPPER.readTree(notANumber.body()).path("error").asText().contains("not a span ID"));
            assertEquals(404, h.api().get("/api/sources/" + SOURCE + "/other", "", false).status());
            JsonNode sources = Json.MAPPER.readTree(h.api().get("/api/sources", "", false).body());
            assertEquals(SOURCE, sources.path("sources").get(0).asText());
        }
    }

    @Test
    void oldWindowsAndClosedTasksAreForgottenAfterTheRetention() throws IOException {
        try (ObserveHarness h = new ObserveHarness(Map.of("graph.window.ms", "1000", "graph.retention.ms", "5000"))
                .fixture("mixed-w2")) {
            assertEquals(200, h.api().get("/api/sources/" + SOURCE + "/tasks/20", "", false).status());
            h.advance(Duration.ofSeconds(10));
            assertEquals(404, h.api().get("/api/sources/" + SOURCE + "/tasks/20", "", false).status());
            JsonNode g = Json.MAPPER.readTree(h.api().get("/api/sources/" + SOURCE + "/graph", "", false).body());
            assertEquals(0, g.path("edges").size());
            assertEquals(0, g.path("nodes").size());
        }
    }

    private static byte[] line(String source, long seq, String head) {
        return (head + ",\"source\":\"" + source + "\",\"seq\":" + seq + ",\"ts_nanos\":" + (1_000_000_000L + seq * 1000)
                + ",\"thread.id\":\"ThreadId(1)\",\"thread.name\":\"tokio-runtime-worker\"}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A record at a given trace time, on a thread that never polled a task. */
    private static byte[] at(String source, long seq, long tsNanos, String head) {
        return (head + ",\"source\":\"" + source + "\",\"seq\":" + seq + ",\"ts_nanos\":" + tsNanos
                + ",\"thread.id\":\"ThreadId(9)\",\"thread.name\":\"foreign\"}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
