package io.tokiowakes.topology;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeadLetterTest {

    private static String header(TestRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void malformedRecordsGoToTheDeadLetterTopicWithTheReasonAndTheJobGoesOn() {
        byte[] notJson = "this is not json".getBytes(StandardCharsets.UTF_8);
        TraceScript good = new TraceScript("svc").task(8, "a").on("ThreadId(9)", "").wake(8, null);
        try (TopologyHarness h = new TopologyHarness()) {
            h.pipeBytes("k", notJson);
            h.pipe(List.of(
                    "{\"type\":\"span_enter\",\"source\":\"svc\",\"ts_nanos\":1,\"span_id\":\"12\"}",
                    "{\"type\":\"teleport\",\"source\":\"svc\",\"ts_nanos\":1}",
                    "{\"type\":\"span_enter\",\"ts_nanos\":1,\"span_id\":12}",
                    "{\"type\":\"span_enter\",\"source\":\"svc\",\"ts_nanos\":1,\"span_id\":-3}",
                    "{\"type\":\"span_enter\",\"source\":\"svc\",\"ts_nanos\":1,\"span_id\":1.5}",
                    "{\"type\":\"span_enter\",\"source\":\"svc\",\"ts_nanos\":1,\"span_id\":36893488147419103232}",
                    "{\"type\":\"event\",\"source\":\"svc\",\"ts_nanos\":1,\"target\":\"tokio::task::waker\",\"fields\":{\"op\":\"waker.wake\"}}",
                    "[1,2,3]"));
            h.pipeBytes("k", new byte[]{'{', '"', (byte) 0xff, '"', ':', '1', '}'});
            h.run(good);

            assertEquals(10, h.deadLetters.size());
            TestRecord<String, byte[]> first = h.deadLetters.get(0);
            assertArrayEquals(notJson, first.value(), "the original bytes are kept");
            assertTrue(header(first, "__streams.errors.message").startsWith("not JSON"));
            assertEquals("tokio.trace", header(first, "__streams.errors.topic"));
            assertEquals("0", header(first, "__streams.errors.partition"));
            assertEquals("0", header(first, "__streams.errors.offset"));
            List<String> reasons = h.deadLetters.stream().map(r -> header(r, "__streams.errors.message")).toList();
            assertEquals("span_id must be an unsigned integer, got \"12\"", reasons.get(1));
            assertEquals("unknown type \"teleport\"", reasons.get(2));
            assertEquals("missing source", reasons.get(3));
            assertEquals("span_id must not be negative, got -3", reasons.get(4));
            assertEquals("span_id must be an unsigned integer, got 1.5", reasons.get(5));
            assertTrue(reasons.get(6).startsWith("span_id is outside the u64 range"), reasons.get(6));
            assertEquals("waker event without task.id", reasons.get(7));
            assertEquals("not a JSON object", reasons.get(8));
            assertTrue(reasons.get(9).contains("UTF-8"), reasons.get(9));
            assertEquals(1, h.edges.size(), "valid records after bad ones are still processed");
            assertEquals(10, h.metrics.get("dead-letters"));
        }
    }

    @Test
    void oversizedRecordIsRefused() {
        JobSettings d = JobSettings.defaults();
        JobSettings small = new JobSettings(d.topics(), d.reorderWindowNanos(), 100, d.lints());
        try (TopologyHarness h = new TopologyHarness(small)) {
            h.pipeBytes("k", ("{\"type\":\"span_enter\",\"source\":\"" + "x".repeat(200) + "\"}").getBytes(StandardCharsets.UTF_8));
            h.flush();
            assertEquals(1, h.deadLetters.size());
            assertTrue(new String(h.deadLetters.get(0).headers().lastHeader("__streams.errors.message").value(),
                    StandardCharsets.UTF_8).contains("exceeds the limit of 100"));
        }
    }

    @Test
    void largeSpanIdsAboveTwoToTheSixtyThreeKeepTheirValue() {
        long big = Long.parseUnsignedLong("18446744073709551000");
        TraceScript t = new TraceScript("svc").raw("{\"type\":\"span_new\",\"source\":\"svc\",\"seq\":0,\"ts_nanos\":10,"
                        + "\"thread.id\":\"ThreadId(1)\",\"thread.name\":\"main\",\"span_id\":18446744073709551000,"
                        + "\"parent_id\":null,\"name\":\"runtime.spawn\",\"target\":\"tokio::task\","
                        + "\"fields\":{\"kind\":\"task\",\"task.name\":\"huge\",\"task.id\":1}}")
                .raw("{\"type\":\"event\",\"source\":\"svc\",\"seq\":1,\"ts_nanos\":11,\"thread.id\":\"ThreadId(7)\","
                        + "\"thread.name\":\"\",\"parent_id\":null,\"name\":\"e\",\"target\":\"tokio::task::waker\","
                        + "\"fields\":{\"op\":\"waker.wake\",\"task.id\":18446744073709551000}}");
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals(1, h.edges.size());
            assertEquals("18446744073709551000", h.edges.get(0).path("wakee").path("span_id").bigIntegerValue().toString());
            assertEquals("huge", h.edges.get(0).path("wakee").path("name").asText());
            assertEquals("svc/" + Long.toUnsignedString(big), h.edgeKeys.get(0));
        }
    }
}
