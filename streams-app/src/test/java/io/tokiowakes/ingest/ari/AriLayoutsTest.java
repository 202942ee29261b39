package io.tokiowakes.ingest.ari;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokiowakes.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ari-subscriber's two layouts, the seed post's multi-line one and the released one-line one
 * (ari-subscriber 0.0.1), with and without terminal colours, give the same trace records.
 */
class AriLayoutsTest {

    private static List<JsonNode> convert(String text) throws Exception {
        List<String> out = new ArrayList<>();
        AriConversion result = new AriTextConverter("s").convert(new BufferedReader(new StringReader(text)), out::add);
        assertEquals(List.of(), result.errors(), text);
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : out) {
            nodes.add(Json.MAPPER.readTree(line));
        }
        return nodes;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = AriLayoutsTest.class.getResourceAsStream("/cases/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ari-0.0.1-plain.log", "ari-0.0.1-color.log"})
    void releasedOneLineOutputIsRead(String file) throws Exception {
        List<JsonNode> r = convert(resource(file));
        assertEquals(List.of("span_new", "span_enter", "event", "span_exit", "event", "span_enter", "span_exit", "span_close"),
                r.stream().map(n -> n.get("type").asText()).toList());
        JsonNode spawn = r.get(0);
        assertEquals(1, spawn.get("span_id").asLong());
        assertTrue(spawn.get("parent_id").isNull());
        assertEquals("runtime.spawn", spawn.get("name").asText());
        assertEquals("tokio::task", spawn.get("target").asText());
        assertEquals("task", spawn.get("fields").get("kind").asText());
        assertEquals(7, spawn.get("fields").get("task.id").asLong());
        assertEquals("src/demo.rs", spawn.get("fields").get("loc.file").asText());
        Instant t = Instant.parse("2025-01-10T08:00:00.000100Z");
        assertEquals(t.getEpochSecond() * 1_000_000_000L + t.getNano(), spawn.get("ts_nanos").asLong());

        JsonNode clone = r.get(2);
        assertEquals("waker.clone", clone.get("fields").get("op").asText());
        assertEquals(1, clone.get("parent_id").asLong(), "inside the task's span");
        JsonNode wake = r.get(4);
        assertEquals("waker.wake", wake.get("fields").get("op").asText());
        assertTrue(wake.get("parent_id").isNull(), "a root event");
        assertEquals(1, wake.get("fields").get("task.id").asLong());
    }

    @Test
    void bothCaseFilesGiveTheSameRecords() throws Exception {
        assertEquals(convert(resource("ari-0.0.1-plain.log")), convert(resource("ari-0.0.1-color.log")));
    }

    @Test
    void theReleasedLayoutIsRecognisedAsAriText() {
        assertTrue(AriTextConverter.looksLikeAri("2025-01-10T08:00:00.000100Z TRACE runtime.spawn[1]{kind=task} new"));
        assertTrue(AriTextConverter.looksLikeAri("2025-01-10T08:00:00.100500Z TRACE tokio::task::waker: op=\"waker.wake\""));
        assertTrue(AriTextConverter.looksLikeAri("\u001B[2m\u001B[1;37m2025-01-10\u001B[0m\u001B[2mT\u001B[1;37m08:00:00"
                + "\u001B[0m\u001B[2m.000100Z\u001B[0m \u001B[38;2;157;78;221mTRACE\u001B[0m \u001B[38;2;72;158;108mruntime.spawn["));
    }

    // ---- the same records rendered in every layout ----

    private record Span(String name, long id, String fields) {
    }

    /** One record: its context spans (root first), then a lifecycle word for the last span, or an event. */
    private record Rec(String time, String level, List<Span> scope, String word, String target, String eventText) {
    }

    private static final String[] LEVELS = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR"};

    private static Span randomSpan(Random random, long id) {
        return switch (random.nextInt(4)) {
            case 0 -> new Span("runtime.spawn", id, "kind=task, task.name=t" + id + ", task.id=" + (id + 1)
                    + ", loc.file=\"src/main.rs\", loc.line=12, loc.col=5");
            case 1 -> new Span("runtime.spawn", id, "kind=blocking, task.name=, task.id=" + (id + 1)
                    + ", fn=tokio::runtime::scheduler::multi_thread::worker::Launch::launch::{{closure}}, "
                    + "spawn.location=\"/cargo/tokio-1.24.2/src/runtime/blocking/pool.rs:1:1\"");
            case 2 -> new Span("runtime.resource", id, "concrete_type=\"Sleep\", kind=\"timer\", loc.file=\"src/{odd} name.rs\"");
            default -> new Span("my.span", id, "user=ann lee, n=3, value=Some(Foo { a: 1 })");
        };
    }

    private static List<Rec> randomRecords(Random random, int n) {
        List<Rec> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String time = String.format("2025-01-10T08:00:%02d.%06dZ", i % 60, random.nextInt(1_000_000));
            String level = LEVELS[random.nextInt(LEVELS.length)];
            List<Span> scope = new ArrayList<>();
            int depth = random.nextInt(4);
            for (int d = 0; d < depth; d++) {
                long id = random.nextInt(5) == 0 ? Long.parseUnsignedLong("18446744073709551615") - d : 1 + random.nextInt(1 << 20);
                scope.add(randomSpan(random, id));
            }
            if (!scope.isEmpty() && random.nextBoolean()) {
                String[] words = {"new", "enter", "exit", "close"};
                out.add(new Rec(time, level, scope, words[random.nextInt(4)], null, null));
            } else {
                String text = switch (random.nextInt(3)) {
                    case 0 -> "op=\"waker.wake\", task.id=" + (1 + random.nextInt(100));
                    case 1 -> "op=\"waker.clone\", task.id=18446744073709551615";
                    default -> "rows=3, query=\"select \\\"x\\\" {}\" slow query, again";
                };
                out.add(new Rec(time, level, scope, null, random.nextBoolean() ? "tokio::task::waker" : "app::db", text));
            }
        }
        return out;
    }

    /** The seed post's layout: a time and level line, then one ⤷ line per span, the last with the word or the event. */
    private static String multiLine(List<Rec> recs) {
        StringBuilder b = new StringBuilder();
        for (Rec r : recs) {
            b.append(r.time()).append(' ').append(String.format("%5s", r.level())).append(" \n");
            String indent = "   ";
            for (int i = 0; i < r.scope().size(); i++) {
                Span s = r.scope().get(i);
                b.append(indent).append("⤷ ").append(s.name()).append('[').append(Long.toUnsignedString(s.id()))
                        .append("]{").append(s.fields()).append('}');
                b.append(r.word() != null && i == r.scope().size() - 1 ? "  " + r.word() : " ").append('\n');
                indent += "  ";
            }
            if (r.word() == null) {
                b.append(indent).append("⤷ ").append(r.target()).append(": ").append(r.eventText()).append('\n');
            }
        }
        return b.toString();
    }

    /** ari-subscriber 0.0.1 ({@code src/fmt/mod.rs}): {@code {timestamp} {level:>5} {scope}{formatted}}, optionally coloured. */
    private static String oneLine(List<Rec> recs, Random colours) {
        StringBuilder b = new StringBuilder();
        for (Rec r : recs) {
            b.append(paint(colours, r.time())).append(' ').append(paint(colours, String.format("%5s", r.level()))).append(' ');
            for (Span s : r.scope()) {
                b.append(paint(colours, s.name() + "[")).append(paint(colours, Long.toUnsignedString(s.id())))
                        .append(paint(colours, "]{" + s.fields() + "}")).append(' ');
            }
            if (r.word() != null) {
                b.append(paint(colours, r.word()));
            } else {
                b.append(paint(colours, r.target())).append(": ").append(paint(colours, r.eventText()));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** Wraps text in a 24-bit colour, bold or dim as ari does; none when there is no colour source. */
    private static String paint(Random colours, String text) {
        if (colours == null) {
            return text;
        }
        String[] starts = {"\u001B[2m", "\u001B[1;37m", "\u001B[38;2;157;78;221m", "\u001B[1;4;38;2;90;186;132m", "\u001B[1m"};
        return starts[colours.nextInt(starts.length)] + text + "\u001B[0m";
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void everyLayoutGivesTheSameRecords(long seed) throws Exception {
        List<Rec> recs = randomRecords(new Random(seed), 40);
        List<JsonNode> multi = convert(multiLine(recs));
        assertEquals(recs.size(), multi.size());
        assertEquals(multi, convert(oneLine(recs, null)), "one-line, plain");
        assertEquals(multi, convert(oneLine(recs, new Random(seed))), "one-line, coloured");
        // Spot-check against the rendered records themselves, not only between layouts.
        for (int i = 0; i < recs.size(); i++) {
            Rec r = recs.get(i);
            JsonNode n = multi.get(i);
            if (r.word() != null) {
                Span self = r.scope().get(r.scope().size() - 1);
                assertEquals("span_" + r.word(), n.get("type").asText());
                assertEquals(Long.toUnsignedString(self.id()), n.get("span_id").asText());
            } else {
                assertEquals("event", n.get("type").asText());
                assertEquals(r.target(), n.get("target").asText());
            }
            assertEquals(r.level(), n.get("level").asText());
        }
    }

    @Test
    void oneLineRecordsThatDoNotParseAreReportedWithTheirLines() throws Exception {
        String text = """
                2025-01-10T08:00:00.000100Z TRACE runtime.spawn[1]{kind=task, task.id=7} new
                2025-01-10T08:00:00.000200Z TRACE runtime.spawn[1]{kind=task, task.id=7 enter
                2025-01-10T08:00:00.000300Z TRACE runtime.spawn[1]{kind=task, task.id=7} frobnicate
                2025-01-10T08:00:00.000400Z TRACE runtime.spawn[1]{kind=task, task.id=7} exit
                """;
        List<String> out = new ArrayList<>();
        AriConversion result = new AriTextConverter("s").convert(new BufferedReader(new StringReader(text)), out::add);
        assertEquals(List.of(2L, 3L), result.errors().stream().map(AriLineError::line).toList());
        assertEquals(2, result.records());
    }
}
