package io.tokiowakes.resilience;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokiowakes.analyze.AnalysisResult;
import io.tokiowakes.analyze.ExpectedWakes;
import io.tokiowakes.analyze.TraceFileAnalyzer;
import io.tokiowakes.json.Json;
import io.tokiowakes.kafka.KafkaTestSupport;
import io.tokiowakes.kafka.LocalKafkaExtension;
import io.tokiowakes.kafka.TopicSetup;
import io.tokiowakes.kafka.TraceReplayer;
import io.tokiowakes.kafka.WakeJob;
import io.tokiowakes.topology.JobSettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.tokiowakes.resilience.ResilienceSupport.note;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A catalogue of bad input through the real broker, next to two clean fixture sources. Every
 * record is accounted for: an invalid one is in the dead-letter topic, unchanged, with the
 * reason and where it came from; a valid one, however odd its sequence, is processed without
 * stopping the job and without touching other sources' results.
 */
class BadInputIT {

    private static final int MAX_RECORD_BYTES = 4096;
    private static final String WAKER = "\"target\":\"tokio::task::waker\"";
    private static final Set<String> CLEAN_SOURCES = Set.of("tracegen-seed", "tracegen-mixed");

    @RegisterExtension
    static final LocalKafkaExtension KAFKA = new LocalKafkaExtension();

    /** Values the contract refuses, each with what makes it invalid. */
    private static Map<String, byte[]> invalid() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("not JSON", utf8("this is not json"));
        m.put("truncated JSON", utf8("{\"type\":\"span_enter\",\"source\":\"bad\",\"ts_nanos\":1,"));
        m.put("JSON array", utf8("[1,2,3]"));
        m.put("JSON string", utf8("\"span_enter\""));
        m.put("JSON number", utf8("42"));
        m.put("empty object (no type)", utf8("{}"));
        m.put("empty value", new byte[0]);
        m.put("null value", null);
        m.put("nested too deep", utf8("{\"type\":\"event\",\"source\":\"bad\",\"ts_nanos\":1,\"fields\":"
                + "{\"a\":".repeat(100) + "1" + "}".repeat(100) + "}"));
        m.put("string span_id", span("\"8\""));
        m.put("float span_id", span("8.5"));
        m.put("negative span_id", span("-3"));
        m.put("span_id above 2^64-1", span("18446744073709551616"));
        m.put("span_id 0", span("0"));
        m.put("float ts_nanos", utf8("{\"type\":\"span_enter\",\"source\":\"bad\",\"ts_nanos\":1.5e18,\"span_id\":8}"));
        m.put("string seq", utf8("{\"type\":\"span_enter\",\"source\":\"bad\",\"seq\":\"7\",\"ts_nanos\":1,\"span_id\":8}"));
        m.put("numeric source", utf8("{\"type\":\"span_enter\",\"source\":42,\"ts_nanos\":1,\"span_id\":8}"));
        m.put("numeric thread.id", utf8("{\"type\":\"span_enter\",\"source\":\"bad\",\"ts_nanos\":1,\"span_id\":8,\"thread.id\":3}"));
        m.put("fields not an object", utf8("{\"type\":\"event\",\"source\":\"bad\",\"ts_nanos\":1,\"fields\":[1]}"));
        m.put("unknown type", utf8("{\"type\":\"span_frobnicate\",\"source\":\"bad\",\"ts_nanos\":1,\"span_id\":8}"));
        m.put("missing source", utf8("{\"type\":\"span_enter\",\"ts_nanos\":1,\"span_id\":8}"));
        m.put("empty source", utf8("{\"type\":\"span_enter\",\"source\":\"\",\"ts_nanos\":1,\"span_id\":8}"));
        m.put("missing span_id", utf8("{\"type\":\"span_close\",\"source\":\"bad\",\"ts_nanos\":1}"));
        m.put("missing ts_nanos", utf8("{\"type\":\"span_enter\",\"source\":\"bad\",\"span_id\":8}"));
        m.put("waker event without task.id", utf8("{\"type\":\"event\",\"source\":\"bad\",\"ts_nanos\":1," + WAKER
                + ",\"parent_id\":8,\"fields\":{\"op\":\"waker.wake\"}}"));
        m.put("string task.id", utf8("{\"type\":\"event\",\"source\":\"bad\",\"ts_nanos\":1," + WAKER
                + ",\"fields\":{\"op\":\"waker.wake\",\"task.id\":\"8\"}}"));
        m.put("unknown waker op", utf8("{\"type\":\"event\",\"source\":\"bad\",\"ts_nanos\":1," + WAKER
                + ",\"fields\":{\"op\":\"waker.teleport\",\"task.id\":8}}"));
        m.put("runtime.spawn without fields", utf8("{\"type\":\"span_new\",\"source\":\"bad\",\"ts_nanos\":1,"
                + "\"span_id\":5,\"name\":\"runtime.spawn\",\"target\":\"tokio::task\"}"));
        m.put("oversized", utf8("{\"type\":\"span_new\",\"source\":\"bad\",\"ts_nanos\":1,\"span_id\":5,"
                + "\"name\":\"user\",\"fields\":{\"message\":\"" + "x".repeat(2 * MAX_RECORD_BYTES) + "\"}}"));
        m.put("invalid UTF-8", concat(utf8("{\"type\":\"span_enter\",\"source\":\"b"), new byte[]{(byte) 0xC3, 0x28},
                utf8("d\",\"ts_nanos\":1,\"span_id\":8}")));
        m.put("invalid UTF-8 (lone continuation byte)", concat(utf8("{\"type\":\"span_enter\",\"source\":\"bad\","
                + "\"ts_nanos\":1,\"span_id\":8,\"thread.name\":\""), new byte[]{(byte) 0x80}, utf8("\"}")));
        return m;
    }

    /**
     * Valid records in odd sequences, each under a source of its own: they must be taken (not
     * dead-lettered), and must neither stop the job nor change any other source's results.
     */
    private static List<byte[]> oddButValid() {
        List<byte[]> out = new ArrayList<>();
        // An event, and a wake, inside a span that was never opened.
        out.add(utf8("{\"type\":\"event\",\"source\":\"odd-orphan\",\"seq\":0,\"ts_nanos\":1000,\"thread.id\":\"ThreadId(2)\","
                + "\"thread.name\":\"w\",\"parent_id\":999,\"name\":\"event\",\"target\":\"app\",\"fields\":{\"message\":\"hi\"}}"));
        out.add(utf8("{\"type\":\"event\",\"source\":\"odd-orphan\",\"seq\":1,\"ts_nanos\":2000,\"thread.id\":\"ThreadId(2)\","
                + "\"thread.name\":\"w\",\"parent_id\":999,\"name\":\"event\"," + WAKER
                + ",\"fields\":{\"op\":\"waker.wake\",\"task.id\":999}}"));
        // exit without enter
        out.addAll(task("odd-exit-first", 5, 0, "span_exit", "span_close"));
        // close twice
        out.addAll(task("odd-close-twice", 6, 0, "span_enter", "span_exit", "span_close", "span_close"));
        // a wake of a task that closed long before (10 s of trace time)
        out.addAll(task("odd-wake-after-close", 7, 0, "span_enter", "span_exit", "span_close"));
        out.add(utf8("{\"type\":\"event\",\"source\":\"odd-wake-after-close\",\"seq\":9,\"ts_nanos\":10000001000,"
                + "\"thread.id\":\"ThreadId(3)\",\"thread.name\":\"tokio-runtime-worker\",\"name\":\"event\"," + WAKER
                + ",\"fields\":{\"op\":\"waker.wake\",\"task.id\":7}}"));
        return out;
    }

    /** A task span of a source living through the given span records, seq from {@code seq}. */
    private static List<byte[]> task(String source, long span, long seq, String... types) {
        List<byte[]> out = new ArrayList<>();
        out.add(utf8("{\"type\":\"span_new\",\"source\":\"" + source + "\",\"seq\":" + seq + ",\"ts_nanos\":1000,"
                + "\"thread.id\":\"ThreadId(1)\",\"thread.name\":\"main\",\"span_id\":" + span + ",\"name\":\"runtime.spawn\","
                + "\"target\":\"tokio::task\",\"fields\":{\"kind\":\"task\",\"task.name\":\"t\",\"task.id\":" + span + "}}"));
        for (String type : types) {
            seq++;
            out.add(utf8("{\"type\":\"" + type + "\",\"source\":\"" + source + "\",\"seq\":" + seq + ",\"ts_nanos\":"
                    + (1000 + seq * 1000) + ",\"thread.id\":\"ThreadId(2)\",\"thread.name\":\"tokio-runtime-worker\","
                    + "\"span_id\":" + span + "}"));
        }
        return out;
    }

    /** The seed program run twice by one process name: seq back to 0, span IDs reused, a minute later. */
    private static List<byte[]> restartedProcess(int run) {
        List<byte[]> out = new ArrayList<>();
        Pattern ts = Pattern.compile("\"ts_nanos\":(\\d+)");
        for (byte[] r : ResilienceSupport.withSource(KafkaTestSupport.fixture("seed-program"), "tracegen-seed", "odd-restarted")) {
            Matcher m = ts.matcher(new String(r, StandardCharsets.UTF_8));
            assertTrue(m.find());
            long shifted = Long.parseLong(m.group(1)) + run * 60_000_000_000L;
            out.add(utf8(m.replaceFirst("\"ts_nanos\":" + shifted)));
        }
        return out;
    }

    @Test
    @Timeout(value = 110, unit = TimeUnit.SECONDS)
    void everyRecordIsTakenOrDeadLetteredAndTheJobGoesOn(@TempDir Path dir) throws Exception {
        JobSettings defaults = JobSettings.defaults();
        JobSettings settings = new JobSettings(KafkaTestSupport.pipeline("bad").topics(), defaults.reorderWindowNanos(),
                MAX_RECORD_BYTES, defaults.lints());
        List<byte[]> clean = new ArrayList<>(KafkaTestSupport.fixture("seed-program"));
        clean.addAll(KafkaTestSupport.fixture("mixed-w2"));
        Map<String, byte[]> invalid = invalid();
        List<byte[]> odd = oddButValid();
        List<byte[]> firstRun = restartedProcess(0);
        List<byte[]> secondRun = restartedProcess(1);

        Path analyzedClean = dir.resolve("analyze-clean");
        ResilienceSupport.analyze(clean, settings, analyzedClean);
        List<byte[]> everything = new ArrayList<>(clean);
        // A file has no null values (Kafka tombstones): analyze gets the others.
        List<byte[]> invalidInFiles = invalid.values().stream().filter(Objects::nonNull).toList();
        everything.addAll(invalidInFiles);
        everything.addAll(odd);
        everything.addAll(firstRun);
        everything.addAll(secondRun);
        AnalysisResult analyzedAll = ResilienceSupport.analyze(everything, settings, dir.resolve("analyze-all"));
        assertEquals(invalidInFiles.size(), analyzedAll.rejected(), "analyze refuses exactly the invalid values");

        Properties client = KafkaTestSupport.client(KAFKA.bootstrapServers());
        TopicSetup.ensure(client, settings.topics(), 4, 4);
        try (WakeJob job = new WakeJob(KafkaTestSupport.streamsConfig(KAFKA.bootstrapServers(), settings,
                dir.resolve("state")), settings).start()) {
            assertTrue(job.awaitRunning(Duration.ofSeconds(60)), "job running");

            Map<String, RecordMetadata> sentInvalid = new LinkedHashMap<>();
            try (TraceReplayer replayer = new TraceReplayer(client, settings.topics().input(), 0);
                 KafkaProducer<String, byte[]> raw = rawProducer(client)) {
                firstRun.forEach(replayer::send);
                List<String> kinds = new ArrayList<>(invalid.keySet());
                // Bad values in between the clean sources' records, on every partition.
                for (int i = 0; i < clean.size(); i++) {
                    replayer.send(clean.get(i));
                    if (i % 30 == 0 && !kinds.isEmpty()) {
                        replayer.flush();
                        String kind = kinds.remove(0);
                        sentInvalid.put(kind, raw.send(new ProducerRecord<>(settings.topics().input(),
                                "bad/" + sentInvalid.size(), invalid.get(kind))).get(30, TimeUnit.SECONDS));
                    }
                }
                for (String kind : kinds) {
                    sentInvalid.put(kind, raw.send(new ProducerRecord<>(settings.topics().input(),
                            "bad/" + sentInvalid.size(), invalid.get(kind))).get(30, TimeUnit.SECONDS));
                }
                odd.forEach(replayer::send);
                replayer.flush();
                // The restarted process comes back once its first run has been applied.
                Thread.sleep(3000);
                secondRun.forEach(replayer::send);
                replayer.flush();
            }
            note("sent " + clean.size() + " clean, " + invalid.size() + " invalid, " + odd.size() + " odd and "
                    + 2 * firstRun.size() + " restarted-process records");

            Path out = ResilienceSupport.awaitOutputs(client, settings.topics(), analyzedClean, dir.resolve("out"),
                    Duration.ofSeconds(60), ResilienceSupport.ofSources(CLEAN_SOURCES));
            List<ConsumerRecord<String, byte[]>> dlq = KafkaTestSupport.readCommitted(client,
                    settings.topics().deadLetter(), Duration.ofSeconds(2));

            // Running, or rebalancing for a moment (a thread replaced, a late rebalance): not failed or closing.
            assertTrue(job.streams().state().isRunningOrRebalancing(), "the job goes on: " + job.streams().state());
            assertDeadLetters(settings.topics().input(), sentInvalid, invalid, dlq);
            assertEquals(invalid.size(), job.metrics().get("dead-letters"));

            ResilienceSupport.assertSameAsAnalyze(analyzedClean, out, "clean sources next to bad input",
                    ResilienceSupport.ofSources(CLEAN_SOURCES));
            ExpectedWakes expected = ExpectedWakes.fixtures("seed-program", "mixed-w2");
            assertEquals(List.of(), expected.differences(ExpectedWakes.of(
                    jsonOfSources(out.resolve(TraceFileAnalyzer.WAKE_EDGES_FILE)),
                    jsonOfSources(out.resolve(TraceFileAnalyzer.ANOMALIES_FILE)))));

            // The odd sources were processed, not refused: the wake of the never-seen task is reported as such.
            assertTrue(ResilienceSupport.lines(out.resolve(TraceFileAnalyzer.ANOMALIES_FILE)).stream()
                    .anyMatch(l -> l.contains("WAKE_OF_UNKNOWN_TASK") && l.contains("odd-orphan")));
            assertTrue(ResilienceSupport.lines(out.resolve(TraceFileAnalyzer.ANOMALIES_FILE)).stream()
                    .anyMatch(l -> l.contains("WAKE_OF_UNKNOWN_TASK") && l.contains("odd-wake-after-close")));
        }
    }

    private static void assertDeadLetters(String input, Map<String, RecordMetadata> sent, Map<String, byte[]> values,
                                          List<ConsumerRecord<String, byte[]>> dlq) {
        List<String> unexpected = new ArrayList<>();
        Map<String, ConsumerRecord<String, byte[]>> byOrigin = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : dlq) {
            String origin = header(r, "__streams.errors.topic") + "/" + header(r, "__streams.errors.partition")
                    + "/" + header(r, "__streams.errors.offset");
            if (byOrigin.put(origin, r) != null) {
                unexpected.add("twice: " + origin);
            }
        }
        for (var e : sent.entrySet()) {
            RecordMetadata m = e.getValue();
            ConsumerRecord<String, byte[]> r = byOrigin.remove(input + "/" + m.partition() + "/" + m.offset());
            if (r == null) {
                unexpected.add("not dead-lettered: " + e.getKey());
                continue;
            }
            String reason = header(r, "__streams.errors.message");
            assertNotNull(reason, e.getKey() + " has a reason");
            assertFalse(reason.isBlank(), e.getKey() + " has a reason");
            byte[] original = values.get(e.getKey());
            if (original == null) {
                assertTrue(r.value() == null || r.value().length == 0, e.getKey() + " kept as it was");
            } else {
                assertArrayEquals(original, r.value(), e.getKey() + " kept byte for byte");
            }
        }
        byOrigin.forEach((origin, r) -> unexpected.add("dead-lettered but valid: " + origin + " "
                + header(r, "__streams.errors.message") + " "
                + (r.value() == null ? "null" : new String(Arrays.copyOf(r.value(), Math.min(200, r.value().length)),
                StandardCharsets.UTF_8))));
        assertEquals(List.of(), unexpected, "the dead-letter topic holds exactly the " + sent.size() + " invalid values");
        assertEquals(sent.size(), dlq.size());
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static KafkaProducer<String, byte[]> rawProducer(Properties client) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static List<JsonNode> jsonOfSources(Path file) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : ResilienceSupport.lines(file)) {
            JsonNode n = Json.MAPPER.readTree(line);
            if (CLEAN_SOURCES.contains(n.path("source").asText())) {
                out.add(n);
            }
        }
        return out;
    }

    private static byte[] span(String spanId) {
        return utf8("{\"type\":\"span_enter\",\"source\":\"bad\",\"ts_nanos\":1,\"span_id\":" + spanId + "}");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
