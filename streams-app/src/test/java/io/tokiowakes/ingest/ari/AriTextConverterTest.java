package io.tokiowakes.ingest.ari;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokiowakes.ingest.TraceDecoder;
import io.tokiowakes.json.Json;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AriTextConverterTest {

    private static final long RECEIVER = 2251799813685250L;
    private static final long SENDER = 2251799813685251L;

    private final List<String> out = new ArrayList<>();

    private static String seedPost() throws IOException {
        try (InputStream in = AriTextConverterTest.class.getResourceAsStream("/fixtures/seed-post.log")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private AriConversion convert(String text) throws IOException, NotAriTextException {
        return new AriTextConverter("seed").convert(new BufferedReader(new StringReader(text)), out::add);
    }

    private List<JsonNode> records() throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : out) {
            nodes.add(Json.MAPPER.readTree(line));
        }
        return nodes;
    }

    @Test
    void seedPostCountsEachType() throws Exception {
        AriConversion result = convert(seedPost());

        assertEquals(List.of(), result.errors());
        assertEquals(35, result.records());
        assertEquals(35, out.size());
        Map<String, Long> byType = records().stream()
                .collect(Collectors.groupingBy(r -> r.get("type").asText(), TreeMap::new, Collectors.counting()));
        assertEquals(Map.of("span_new", 3L, "span_enter", 9L, "span_exit", 9L, "span_close", 3L, "event", 11L), byType);
    }

    @Test
    void seedPostWakesCarryTheirTaskAsParent() throws Exception {
        convert(seedPost());

        List<JsonNode> wakes = records().stream()
                .filter(r -> "tokio::task::waker".equals(r.path("target").asText()))
                .filter(r -> r.get("fields").get("op").asText().startsWith("waker.wake"))
                .toList();
        assertEquals(3, wakes.size());
        for (JsonNode w : wakes) {
            assertEquals(RECEIVER, w.get("fields").get("task.id").asLong());
            assertTrue(w.get("fields").get("task.id").isIntegralNumber());
        }
        assertEquals("waker.wake_by_ref", wakes.get(0).get("fields").get("op").asText());
        assertEquals(RECEIVER, wakes.get(0).get("parent_id").asLong());
        assertEquals("waker.wake", wakes.get(1).get("fields").get("op").asText());
        assertEquals(SENDER, wakes.get(1).get("parent_id").asLong());
        assertEquals("waker.wake", wakes.get(2).get("fields").get("op").asText());
        assertTrue(wakes.get(2).get("parent_id").isNull(), "the wake from a plain thread is a root event");
    }

    @Test
    void seedPostRecordsDecode() throws Exception {
        convert(seedPost());
        TraceDecoder decoder = new TraceDecoder(1 << 20);

        long seq = 0;
        for (String line : out) {
            var record = decoder.decode(line.getBytes(StandardCharsets.UTF_8));
            assertEquals("seed", record.source());
            assertEquals(seq++, record.seq());
            assertNull(record.threadId());
            assertFalse(line.contains("thread."), line);
        }
        var firstTask = decoder.decode(out.get(0).getBytes(StandardCharsets.UTF_8));
        assertTrue(firstTask.isTaskSpanNew());
        assertEquals("dummy", firstTask.task().name());
        assertEquals("task", firstTask.task().kind());
        assertEquals("tokio::task", firstTask.target());
        assertEquals(2L, firstTask.spanId());
        assertNull(firstTask.parentId());
    }

    @Test
    void tsNanosIsTheRfc3339Time() throws Exception {
        convert(seedPost());

        Instant t = Instant.parse("2024-06-20T15:10:05.495210Z");
        long expected = t.getEpochSecond() * 1_000_000_000L + t.getNano();
        assertEquals(1718896205495210000L, expected);
        assertEquals(expected, records().get(0).get("ts_nanos").asLong());
    }

    @Test
    void malformedLineIsReportedAndLaterRecordsStillConvert() throws Exception {
        List<String> lines = new ArrayList<>(Arrays.asList(seedPost().split("\n")));
        // Line 28 is the span line of the first waker.clone event (header on line 27).
        assertTrue(lines.get(28).contains("op=\"waker.clone\""));
        lines.set(27, "   ⤷ runtime.spawn[2251799813685250{kind=task, task.id=3}");

        AriConversion result = convert(String.join("\n", lines));

        assertEquals(1, result.errors().size());
        AriLineError error = result.errors().get(0);
        assertEquals(28, error.line());
        assertEquals(lines.get(27), error.text());
        assertTrue(error.reason().contains("record from line 27 is skipped"), error.reason());
        assertEquals(34, result.records());
        List<JsonNode> records = records();
        assertEquals(33, records.get(33).get("seq").asLong());
        assertEquals("span_close", records.get(33).get("type").asText());
        assertEquals(RECEIVER, records.get(33).get("span_id").asLong());
        assertEquals(0, records.stream()
                .filter(r -> "waker.clone".equals(r.path("fields").path("op").asText()))
                .filter(r -> r.get("ts_nanos").asLong() == 1718896205496340000L)
                .count());
    }

    @Test
    void strayLinesAndIncompleteRecordsAreReported() throws Exception {
        String text = """
                2024-06-20T15:10:05.495210Z TRACE
                   ⤷ runtime.spawn[2]{kind=task, task.name=dummy, task.id=2}  new
                this line belongs to nothing
                2024-06-20T15:10:05.495363Z TRACE
                   ⤷ runtime.spawn[2]{kind=task, task.name=dummy, task.id=2}
                2024-06-20T15:10:05.495416Z TRACE
                   ⤷ runtime.spawn[2]{kind=task, task.name=dummy, task.id=2}  exit
                   ⤷ runtime.spawn[2]{kind=task, task.name=dummy, task.id=2}  close
                """;

        AriConversion result = convert(text);

        assertEquals(2, result.records());
        assertEquals(List.of(3L, 4L, 8L), result.errors().stream().map(AriLineError::line).toList());
        assertEquals(List.of("span_new", "span_exit"), out.stream().map(this::type).toList());
    }

    @Test
    void jsonLinesAreNotAriText() {
        String json = "\n\n{\"type\":\"span_enter\",\"source\":\"s\",\"ts_nanos\":1,\"span_id\":2}\n";
        NotAriTextException e = assertThrows(NotAriTextException.class, () -> convert(json));
        assertEquals("input is not ari-subscriber text: line 3 does not start with an RFC 3339 time and a level",
                e.getMessage());
        assertTrue(out.isEmpty());
    }

    @Test
    void randomTextIsNotAriText() {
        assertThrows(NotAriTextException.class, () -> convert("hello world\n2024-06-20T15:10:05.495210Z TRACE\n"));
        assertThrows(NotAriTextException.class, () -> convert("2024-06-20 15:10:05 TRACE something\n"));
    }

    @Test
    void emptyInputConvertsToNothing() throws Exception {
        AriConversion result = convert("\n  \n");
        assertEquals(0, result.records());
        assertEquals(List.of(), result.errors());
    }

    @Test
    void looksLikeAri() {
        assertTrue(AriTextConverter.looksLikeAri("2024-06-20T15:10:05.495210Z TRACE "));
        assertTrue(AriTextConverter.looksLikeAri("2024-06-20T15:10:05.495210Z  INFO"));
        assertTrue(AriTextConverter.looksLikeAri("\u001B[2m2024-06-20T15:10:05.495210Z\u001B[0m \u001B[35mTRACE\u001B[0m "));
        assertTrue(AriTextConverter.looksLikeAri("2024-06-20T17:10:05.495+02:00 DEBUG"));
        assertFalse(AriTextConverter.looksLikeAri("{\"type\":\"event\"}"));
        assertFalse(AriTextConverter.looksLikeAri("   ⤷ runtime.spawn[2]{kind=task}  new"));
        assertFalse(AriTextConverter.looksLikeAri("2024-06-20T15:10:05.495210Z VERBOSE"));
        assertFalse(AriTextConverter.looksLikeAri(""));
        assertFalse(AriTextConverter.looksLikeAri(null));
    }

    @Test
    void otherSpansNestBetweenTaskAndEvent() throws Exception {
        String text = """
                2024-06-20T15:10:05.000001Z TRACE
                   ⤷ runtime.spawn[7]{kind=blocking, task.name=, task.id=9, fn="my_fn"}  new
                2024-06-20T15:10:05.000002Z  INFO
                   ⤷ runtime.spawn[7]{kind=blocking, task.name=, task.id=9, fn="my_fn"}
                     ⤷ my.span[12]{user=ann lee, n=3}  new
                2024-06-20T15:10:05.000003Z  WARN
                   ⤷ runtime.spawn[7]{kind=blocking, task.name=, task.id=9, fn="my_fn"}
                     ⤷ my.span[12]{user=ann lee, n=3}
                       ⤷ app::db: rows=3, query="select \\"x\\"" slow query, again
                2024-06-20T15:10:05.000004Z ERROR
                   ⤷ app::db: gave up
                """;

        AriConversion result = convert(text);

        assertEquals(List.of(), result.errors());
        List<JsonNode> r = records();
        assertEquals("tokio::task::blocking", r.get(0).get("target").asText());
        assertEquals("", r.get(0).get("fields").get("task.name").asText());
        assertEquals("my_fn", r.get(0).get("fields").get("fn").asText());

        JsonNode userSpan = r.get(1);
        assertEquals("my.span", userSpan.get("name").asText());
        assertEquals(7, userSpan.get("parent_id").asLong());
        assertFalse(userSpan.has("target"));
        assertEquals("ann lee", userSpan.get("fields").get("user").asText());
        assertEquals(3, userSpan.get("fields").get("n").asLong());
        assertEquals("INFO", userSpan.get("level").asText());

        JsonNode event = r.get(2);
        assertEquals(7, event.get("parent_id").asLong(), "the innermost task, not the user span");
        assertEquals("app::db", event.get("target").asText());
        assertEquals("event", event.get("name").asText());
        assertEquals(3, event.get("fields").get("rows").asLong());
        assertEquals("select \"x\"", event.get("fields").get("query").asText());
        assertEquals("slow query, again", event.get("fields").get("message").asText());

        assertTrue(r.get(3).get("parent_id").isNull());
        assertEquals("gave up", r.get(3).get("fields").get("message").asText());
        assertEquals("ERROR", r.get(3).get("level").asText());
    }

    @Test
    void spanIdsAboveTwoToThe63StayUnsigned() throws Exception {
        String text = """
                2024-06-20T15:10:05.000001Z TRACE
                   ⤷ runtime.spawn[18446744073709551615]{kind=task, task.id=1}  new
                2024-06-20T15:10:05.000002Z TRACE
                   ⤷ runtime.spawn[18446744073709551615]{kind=task, task.id=1}
                     ⤷ tokio::task::waker: op="waker.wake_by_ref", task.id=18446744073709551615
                """;

        convert(text);

        assertEquals(2, out.size());
        assertTrue(out.get(0).contains("\"span_id\":18446744073709551615"), out.get(0));
        TraceDecoder decoder = new TraceDecoder(1 << 20);
        var wake = decoder.decode(out.get(1).getBytes(StandardCharsets.UTF_8));
        assertEquals(-1L, wake.parentId());
        assertEquals(-1L, wake.wakeeSpanId());
    }

    @Test
    void crlfAndColoursAreTolerated() throws Exception {
        String text = "2024-06-20T15:10:05.495210Z \u001B[35mTRACE\u001B[0m \r\n"
                + "   ⤷ \u001B[32mruntime.spawn[\u001B[1m2\u001B[0m]{kind=task, task.id=2}\u001B[0m  enter\r\n";

        AriConversion result = convert(text);

        assertEquals(List.of(), result.errors());
        assertEquals(List.of("span_enter"), out.stream().map(this::type).toList());
    }

    private String type(String json) {
        try {
            return Json.MAPPER.readTree(json).get("type").asText();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
